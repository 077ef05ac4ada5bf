"""Each person shape: the presenter gives exactly what its serializer documents, without a query."""

from __future__ import annotations

import pytest

from conftest import as_json
from desk.accounts import presenters
from desk.accounts.apis import PersonOutput, PersonRefOutput, UserBrief, UserOutput
from desk.accounts.tests.factories import AgentFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("serializer", "presenter"),
    [
        (UserOutput, presenters.user_data),
        (UserBrief, presenters.user_brief),
        (PersonOutput, presenters.person),
        (PersonRefOutput, presenters.person_ref),
    ],
    ids=["user", "user_brief", "person", "person_ref"],
)
def test_presenter_matches_its_serializer(serializer, presenter, django_assert_num_queries) -> None:
    for user in (CustomerFactory(first_name="Carol", last_name="Q"), AgentFactory(first_name="", last_name="")):
        with django_assert_num_queries(0):
            shown = presenter(user)
        assert as_json(shown) == as_json(serializer(user).data)


def test_a_person_without_a_name_is_shown_by_email() -> None:
    user = CustomerFactory(first_name="", last_name="")
    assert presenters.user_brief(user)["name"] == user.email
    assert presenters.brief(user.pk, user.email, "", "") == presenters.user_brief(user)


def test_nobody_is_shown_as_null() -> None:
    assert presenters.user_brief(None) is None
    assert presenters.person(None) is None
    assert presenters.person_ref(None) is None
