"""Sign-in limits, token rotation and revocation, password change and reset by email."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from rest_framework.test import APIClient

from desk.accounts.models import User
from desk.accounts.tests.factories import PASSWORD
from desk.accounts.tests.factories import CustomerFactory as _CustomerFactory
from desk.notifications.models import EmailDelivery

pytestmark = pytest.mark.django_db


def CustomerFactory(**kwargs):
    """Sign-in counters live in the cache (Redis, across runs): give every test its own account."""
    kwargs.setdefault("email", f"{uuid.uuid4().hex[:12]}@example.com")
    return _CustomerFactory(**kwargs)


def fresh_address() -> str:
    """A client address no earlier run has used."""
    value = uuid.uuid4().int
    return f"10.{value % 250}.{(value >> 8) % 250}.{(value >> 16) % 250 + 1}"


TOKEN, REFRESH, ME = "/api/auth/token/", "/api/auth/token/refresh/", "/api/auth/me/"


def login(client: APIClient, email: str, password: str = PASSWORD, address: str | None = None):
    return client.post(TOKEN, {"email": email, "password": password}, REMOTE_ADDR=address or fresh_address())


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_sign_in_is_refused_after_too_many_failures_for_the_account(settings, anon_client):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    user = CustomerFactory()
    for _ in range(3):
        assert login(anon_client, user.email, "wrong-password").status_code == 401
    blocked = login(anon_client, user.email)  # even the right password
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "rate_limit_exceeded"
    assert int(blocked["Retry-After"]) > 0
    # Another account from the same address is unaffected.
    assert login(anon_client, CustomerFactory().email).status_code == 200


def test_a_busy_address_has_its_wrong_guesses_refused_but_never_a_correct_password(settings, anon_client):
    """Many people behind one proxy (or someone guessing among them): over the address's budget,
    wrong passwords get 429, a correct one for an account that is not itself locked signs in."""
    settings.LOGIN_FAILURES_PER_IP = 4
    users = [CustomerFactory() for _ in range(4)]
    busy, other = fresh_address(), fresh_address()
    for user in users:
        assert login(anon_client, user.email, "wrong-password", address=busy).status_code == 401
    refused = login(anon_client, CustomerFactory().email, "wrong-password", address=busy)
    assert refused.status_code == 429
    assert "from your network" in refused.json()["message"]
    assert login(anon_client, CustomerFactory().email, address=busy).status_code == 200
    assert login(anon_client, users[0].email, address=busy).status_code == 200
    assert login(anon_client, users[1].email, address=other).status_code == 200


def test_the_lockout_says_when_in_minutes(settings, anon_client):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    user = CustomerFactory()
    for _ in range(2):
        login(anon_client, user.email, "wrong-password")
    blocked = login(anon_client, user.email)
    assert blocked.status_code == 429
    assert re.search(r"try again in 1[45] minutes\.$", blocked.json()["message"]), blocked.json()["message"]
    assert 840 <= int(blocked["Retry-After"]) <= 900


def test_failed_sign_ins_are_counted_without_the_cache(settings, anon_client, caplog):
    """With Redis down the general rate limit steps aside, but guessing a password stays limited."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    user = CustomerFactory()
    answers = [login(anon_client, user.email, "wrong-password").status_code for _ in range(30)]
    assert answers[:5] == [401] * 5
    assert set(answers[5:]) == {429}
    assert login(anon_client, user.email).status_code == 429


def test_django_admin_sign_in_counts_in_the_same_budget(settings, client):
    from desk.accounts.tests.factories import AgentFactory

    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    agent = AgentFactory(email=f"{uuid.uuid4().hex[:12]}@example.com")
    address = fresh_address()

    def admin_login(password: str):
        return client.post(
            "/admin/login/?next=/admin/", {"username": agent.email, "password": password}, REMOTE_ADDR=address
        )

    for _ in range(3):
        assert b"Please enter the correct" in admin_login("wrong-password").content
    for _ in range(2):  # the API's failures and the admin's share one count
        assert login(APIClient(), agent.email, "wrong-password").status_code == 401
    refused = admin_login(PASSWORD)
    assert refused.status_code == 200  # the form again, with the refusal
    assert b"Too many failed sign-ins" in refused.content
    assert "_auth_user_id" not in client.session
    assert login(APIClient(), agent.email).status_code == 429


def test_a_right_password_at_django_admin_clears_the_failures(settings, client):
    from desk.accounts.tests.factories import AdminFactory

    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    admin = AdminFactory(email=f"{uuid.uuid4().hex[:12]}@example.com")
    for _ in range(2):
        login(APIClient(), admin.email, "wrong-password")
    signed_in = client.post("/admin/login/?next=/admin/", {"username": admin.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    for _ in range(2):
        login(APIClient(), admin.email, "wrong-password")
    assert login(APIClient(), admin.email).status_code == 200


def test_a_successful_sign_in_clears_the_account_failures(settings, anon_client):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    user = CustomerFactory()
    here = fresh_address()
    for _ in range(2):
        login(anon_client, user.email, "wrong-password", address=here)
    assert login(anon_client, user.email, address=here).status_code == 200
    for _ in range(2):
        login(anon_client, user.email, "wrong-password", address=here)
    assert login(anon_client, user.email, address=here).status_code == 200


def test_refresh_tokens_rotate_and_the_old_one_stops_working(anon_client):
    user = CustomerFactory()
    first = login(anon_client, user.email).json()
    second = anon_client.post(REFRESH, {"refresh": first["refresh"]}).json()
    assert second["refresh"] != first["refresh"]
    reused = anon_client.post(REFRESH, {"refresh": first["refresh"]})
    assert reused.status_code == 401
    assert anon_client.post(REFRESH, {"refresh": second["refresh"]}).status_code == 200


def test_a_rotated_token_used_again_soon_is_refused_and_the_session_goes_on(anon_client, settings):
    """Two tabs of one browser refreshing at the same moment: the slower one is refused, and
    picks up the pair the faster one stored; nobody is signed out."""
    settings.REFRESH_REUSE_GRACE_SECONDS = 60
    first = login(anon_client, CustomerFactory().email).json()
    second = anon_client.post(REFRESH, {"refresh": first["refresh"]}).json()
    assert anon_client.post(REFRESH, {"refresh": first["refresh"]}).status_code == 401
    assert anon_client.post(REFRESH, {"refresh": second["refresh"]}).status_code == 200


def test_a_rotated_token_used_again_later_ends_its_session_and_only_that_one(anon_client, settings):
    """A copied refresh token: whoever uses the rotated one again, the session's newest token
    (held by the thief or by the owner) stops refreshing too. Other sessions go on."""
    from desk.accounts.models import RevokedSession

    settings.REFRESH_REUSE_GRACE_SECONDS = 0
    user = CustomerFactory()
    other = login(anon_client, user.email).json()
    first = login(anon_client, user.email).json()
    second = anon_client.post(REFRESH, {"refresh": first["refresh"]}).json()
    reused = anon_client.post(REFRESH, {"refresh": first["refresh"]})
    assert reused.status_code == 401
    assert reused.json()["error"] == "not_authenticated"
    assert anon_client.post(REFRESH, {"refresh": second["refresh"]}).status_code == 401
    assert RevokedSession.objects.filter(user=user).count() == 1
    assert anon_client.post(REFRESH, {"refresh": other["refresh"]}).status_code == 200


def test_rotated_tokens_keep_their_session_and_version():
    from rest_framework_simplejwt.tokens import RefreshToken

    from desk.accounts import services

    user = CustomerFactory()
    first = services.token_pair_for(user)
    second = services.session_refresh(refresh=first["refresh"])
    old, new = RefreshToken(first["refresh"], verify=False), RefreshToken(second["refresh"])
    assert new["sid"] == old["sid"] and new["ver"] == old["ver"] == user.token_version
    assert new["jti"] != old["jti"]
    assert services.token_pair_for(user) and RefreshToken(services.token_pair_for(user)["refresh"])["sid"] != old["sid"]


@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": "junk"}, {"refresh": 7}])
def test_bad_refresh_requests_change_nothing(anon_client, body):
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    answer = anon_client.post(REFRESH, body, format="json")
    assert answer.status_code in (400, 401)
    assert OutstandingToken.objects.count() == BlacklistedToken.objects.count() == 0


def test_revoked_sessions_are_purged_once_their_tokens_expire(settings):
    from django.utils import timezone
    from rest_framework_simplejwt.settings import api_settings

    from desk.accounts import services
    from desk.accounts.models import RevokedSession

    user = CustomerFactory()
    expired = timezone.now() - api_settings.REFRESH_TOKEN_LIFETIME - timezone.timedelta(minutes=1)
    RevokedSession.objects.create(sid="old", user=user, revoked_at=expired)
    RevokedSession.objects.create(sid="new", user=user)
    assert services.attempts_purge() == 1
    assert list(RevokedSession.objects.values_list("sid", flat=True)) == ["new"]


def test_sign_out_revokes_the_refresh_token(anon_client):
    user = CustomerFactory()
    tokens = login(anon_client, user.email).json()
    assert anon_client.post("/api/auth/logout/", {"refresh": tokens["refresh"]}).status_code == 204
    assert anon_client.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401
    # Signing out twice, or with a broken token, is still "signed out".
    assert anon_client.post("/api/auth/logout/", {"refresh": tokens["refresh"]}).status_code == 204
    assert anon_client.post("/api/auth/logout/", {"refresh": "garbage"}).status_code == 204
    assert anon_client.post("/api/auth/logout/", {}).status_code == 400


def test_password_change_ends_other_sessions_and_keeps_this_one(anon_client):
    user = CustomerFactory()
    other_session = login(anon_client, user.email).json()
    this_session = login(anon_client, user.email, address=fresh_address()).json()
    response = bearer(this_session["access"]).post(
        "/api/auth/password/change/", {"current_password": PASSWORD, "new_password": "a-brand-new-secret-42"}
    )
    assert response.status_code == 200, response.content
    fresh = response.json()
    assert bearer(other_session["access"]).get(ME).status_code == 401
    assert anon_client.post(REFRESH, {"refresh": other_session["refresh"]}).status_code == 401
    assert anon_client.post(REFRESH, {"refresh": this_session["refresh"]}).status_code == 401
    assert bearer(fresh["access"]).get(ME).status_code == 200
    assert login(anon_client, user.email, "a-brand-new-secret-42", address=fresh_address()).status_code == 200


def test_password_change_needs_the_current_password_and_a_strong_new_one(customer_client, customer):
    wrong = customer_client.post(
        "/api/auth/password/change/", {"current_password": "nope", "new_password": "a-brand-new-secret-42"}
    )
    assert wrong.status_code == 400 and "current_password" in wrong.json()["details"]
    weak = customer_client.post("/api/auth/password/change/", {"current_password": PASSWORD, "new_password": "123"})
    assert weak.status_code == 400 and "password" in weak.json()["details"]
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def reset_link() -> tuple[str, str]:
    body = mail.outbox[-1].body
    match = re.search(r"/reset-password\?uid=([\w-]+)&token=([\w-]+)", body)
    assert match, body
    return match.group(1), match.group(2)


def test_password_reset_by_email_works_once(anon_client, django_capture_on_commit_callbacks):
    user = CustomerFactory()
    session = login(anon_client, user.email).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_client.post("/api/auth/password/reset/", {"email": user.email.upper()})
    assert response.status_code == 202
    assert mail.outbox[-1].to == [user.email]
    uid, token = reset_link()
    confirm = anon_client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": "reset-and-renewed-77"}
    )
    assert confirm.status_code == 200, confirm.content
    assert login(anon_client, user.email, "reset-and-renewed-77", address=fresh_address()).status_code == 200
    # The link is one-time, and the old sessions are over.
    again = anon_client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": "another-one-88-x"}
    )
    assert again.status_code == 400 and again.json()["error"] == "validation_error"
    assert bearer(session["access"]).get(ME).status_code == 401
    # The stored email no longer holds the link.
    delivery = EmailDelivery.objects.get(recipient=user, kind="password_reset")
    assert token not in delivery.body_text and token not in delivery.body_html


def test_a_reset_link_can_be_checked_before_its_form_is_shown(anon_client, django_capture_on_commit_callbacks):
    user = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        anon_client.post("/api/auth/password/reset/", {"email": user.email})
    uid, token = reset_link()
    check = "/api/auth/password/reset/check/"
    assert anon_client.post(check, {"uid": uid, "token": token}).json() == {"valid": True}
    anon_client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": "reset-and-renewed-77"}
    )
    assert anon_client.post(check, {"uid": uid, "token": token}).json() == {"valid": False}  # used
    assert anon_client.post(check, {"uid": "garbage", "token": "x"}).json() == {"valid": False}
    assert anon_client.post(check, {}).status_code == 400


def test_password_reset_link_expires(anon_client, settings, django_capture_on_commit_callbacks):
    user = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        anon_client.post("/api/auth/password/reset/", {"email": user.email})
    uid, token = reset_link()
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = anon_client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": "reset-and-renewed-77"}
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_reset_says_the_same_for_unknown_emails_and_sends_nothing(
    anon_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_client.post("/api/auth/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 202
    assert mail.outbox == []
    assert not EmailDelivery.objects.exists()


def test_password_reset_emails_are_limited_per_account(anon_client, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESETS_PER_ACCOUNT = 2
    user = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            assert anon_client.post("/api/auth/password/reset/", {"email": user.email}).status_code == 202
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "body",
    [
        {"uid": "garbage", "token": "x", "new_password": "reset-and-renewed-77"},
        {"uid": "", "token": "", "new_password": ""},
        {},
    ],
)
def test_bad_reset_confirmations_are_400(anon_client, body):
    response = anon_client.post("/api/auth/password/reset/confirm/", body)
    assert response.status_code == 400
    assert response.json()["error"] == "validation_error"


def test_reset_with_a_weak_password_keeps_the_old_one(anon_client, django_capture_on_commit_callbacks):
    user = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        anon_client.post("/api/auth/password/reset/", {"email": user.email})
    uid, token = reset_link()
    response = anon_client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": "123"}
    )
    assert response.status_code == 400
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_a_refresh_token_from_before_a_password_change_is_refused_even_if_not_blacklisted(anon_client):
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

    user = CustomerFactory()
    old = login(anon_client, user.email).json()
    bearer(login(anon_client, user.email, address=fresh_address()).json()["access"]).post(
        "/api/auth/password/change/", {"current_password": PASSWORD, "new_password": "a-brand-new-secret-42"}
    )
    BlacklistedToken.objects.all().delete()  # as if the blacklist had missed it
    assert anon_client.post(REFRESH, {"refresh": old["refresh"]}).status_code == 401


def test_old_attempts_are_purged(settings):
    from datetime import timedelta

    from django.utils import timezone

    from desk.accounts import services
    from desk.accounts.models import Attempt, AttemptKind

    old = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 3600)
    Attempt.objects.create(kind=AttemptKind.SIGN_IN_FAILED, key="a" * 64, created_at=old)
    recent = Attempt.objects.create(kind=AttemptKind.SIGN_IN_FAILED, key="b" * 64)
    assert services.attempts_purge() == 1
    assert list(Attempt.objects.values_list("pk", flat=True)) == [recent.pk]
