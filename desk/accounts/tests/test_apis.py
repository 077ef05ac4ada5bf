from __future__ import annotations

import pytest

from desk.accounts.models import Role, User
from desk.accounts.tests.factories import PASSWORD, AgentFactory, CustomerFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/auth/register/"
TOKEN = "/api/auth/token/"
REFRESH = "/api/auth/token/refresh/"
ME = "/api/auth/me/"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "message", "details"}
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_register_login_refresh_me(anon_client):
    response = anon_client.post(
        REGISTER,
        {
            "email": "New.Person@Example.com",
            "password": "a-long-unusual-pass",
            "first_name": "New",
            "last_name": "Person",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new.person@example.com"
    assert body["role"] == "customer"
    assert body["is_staff"] is False
    assert body["name"] == "New Person"
    assert "password" not in body

    tokens = anon_client.post(TOKEN, {"email": "new.person@EXAMPLE.com", "password": "a-long-unusual-pass"}).json()
    assert {"access", "refresh"} <= set(tokens)

    refreshed = anon_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200
    assert "access" in refreshed.json()

    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    me = anon_client.get(ME)
    assert me.status_code == 200
    assert me.json()["email"] == "new.person@example.com"


def test_register_cannot_choose_a_staff_role(anon_client):
    response = anon_client.post(
        REGISTER, {"email": "sneaky@example.com", "password": "a-long-unusual-pass", "role": "admin"}
    )
    assert response.status_code == 201
    user = User.objects.get(email="sneaky@example.com")
    assert user.role == Role.CUSTOMER
    assert not user.is_staff


def test_wrong_password_is_401_in_error_format(anon_client):
    user = CustomerFactory()
    response = anon_client.post(TOKEN, {"email": user.email, "password": "wrong-password"})
    assert_error(response, 401, "not_authenticated")


def test_inactive_user_cannot_log_in(anon_client):
    user = CustomerFactory(is_active=False)
    assert_error(anon_client.post(TOKEN, {"email": user.email, "password": PASSWORD}), 401, "not_authenticated")


def test_duplicate_email_is_validation_error_on_email(anon_client):
    CustomerFactory(email="taken@example.com")
    response = anon_client.post(REGISTER, {"email": "TAKEN@example.com", "password": "a-long-unusual-pass"})
    body = assert_error(response, 400, "validation_error")
    assert "email" in body["details"]
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "weakling@example.com"])
def test_weak_password_is_refused(anon_client, password):
    response = anon_client.post(REGISTER, {"email": "weakling@example.com", "password": password})
    body = assert_error(response, 400, "validation_error")
    assert "password" in body["details"]
    assert not User.objects.filter(email="weakling@example.com").exists()


def test_register_requires_a_valid_email(anon_client):
    body = assert_error(
        anon_client.post(REGISTER, {"email": "not-an-email", "password": "a-long-unusual-pass"}),
        400,
        "validation_error",
    )
    assert "email" in body["details"]


def test_me_without_token_is_401(anon_client):
    assert_error(anon_client.get(ME), 401, "not_authenticated")


def test_me_with_garbage_token_is_401(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    assert_error(anon_client.get(ME), 401, "not_authenticated")


def test_refresh_with_garbage_is_401(anon_client):
    assert_error(anon_client.post(REFRESH, {"refresh": "nonsense"}), 401, "not_authenticated")


def test_me_for_an_agent_shows_staff(make_client):
    agent = AgentFactory()
    body = make_client(agent).get(ME).json()
    assert body["role"] == "agent"
    assert body["is_staff"] is True


def test_names_are_kept_on_one_line(anon_client):
    response = anon_client.post(
        REGISTER,
        {
            "email": "lines@example.com",
            "password": "a-long-unusual-pass",
            "first_name": "Ada\r\nBcc: x",
            "last_name": "L\x07",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(email="lines@example.com")
    assert (user.first_name, user.last_name) == ("Ada Bcc: x", "L")
