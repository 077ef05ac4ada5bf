from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from desk.accounts.models import Role, User
from desk.accounts.tests.factories import AgentFactory, CustomerFactory

pytestmark = pytest.mark.django_db


def db_id(obj):
    return type(obj)._meta.pk.get_db_prep_value(obj.pk, connection)


def test_is_staff_follows_the_role():
    user = CustomerFactory()
    assert not user.is_staff
    user.role = Role.AGENT
    user.save()
    user.refresh_from_db()
    assert user.is_staff
    user.role = Role.PROVIDER
    user.save(update_fields=["role"])
    user.refresh_from_db()
    assert not user.is_staff


def test_database_refuses_is_staff_out_of_step_with_role():
    user = AgentFactory()
    table = User._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET is_staff = %s WHERE id = %s", [False, db_id(user)])


def test_database_refuses_unknown_role():
    user = CustomerFactory()
    table = User._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET role = %s WHERE id = %s", ["wizard", db_id(user)])


def test_emails_are_unique_ignoring_case():
    CustomerFactory(email="same@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="SAME@example.com", role=Role.CUSTOMER)])


def test_name_falls_back_to_email():
    assert CustomerFactory(first_name="", last_name="", email="plain@example.com").name == "plain@example.com"
    assert CustomerFactory(first_name="Ann", last_name="Lee").name == "Ann Lee"


def test_createsuperuser_makes_an_admin():
    user = User.objects.create_superuser("Boss@Example.com", "pw-not-checked-here")
    assert user.role == Role.ADMIN
    assert user.is_staff and user.is_superuser
    assert user.email == "boss@example.com"
