"""Service-level endpoints: business calendars and SLA policies (staff read, admins write).
Customers get 403. The serializers document the shapes; the services validate them, naming each
field (`hours.mon`, `targets.resolution`) in the error's details."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from desk.accounts.models import CUSTOMER_ROLES
from desk.accounts.permissions import staff_only
from desk.core.apis import BaseApi
from desk.core.errors import ValidationFailed
from desk.core.pagination import StandardPagination
from desk.core.schema import error_responses, page_of
from desk.sla import presenters, selectors, services
from desk.sla.models import NAME_MAX_LENGTH
from desk.sla.services import MAX_TARGET_MINUTES
from desk.support.models import Category, Priority, Source


class SlaStaffApi(BaseApi):
    permission_classes = [staff_only("Only staff may see service levels.")]


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ValidationFailed("Send a JSON object.", details={"body": ["Send a JSON object."]})
    return dict(request.data)


PAGE_PARAMETERS = [OpenApiParameter("page", int), OpenApiParameter("page_size", int, description="At most 100.")]


# --- calendars ------------------------------------------------------------------------------


def _day() -> serializers.ListField:
    interval = serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)
    return serializers.ListField(child=interval, required=False)


class WeekHours(serializers.Serializer):
    mon = _day()
    tue = _day()
    wed = _day()
    thu = _day()
    fri = _day()
    sat = _day()
    sun = _day()


class CalendarOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    time_zone = serializers.CharField(help_text="An IANA time zone, such as Asia/Kathmandu.")
    hours = WeekHours(help_text='Per weekday, ["HH:MM", "HH:MM"] intervals ("24:00" may end one).')
    holidays = serializers.ListField(child=serializers.DateField())
    builtin = serializers.BooleanField(help_text="The built-in 24/7 calendar: read-only.")
    policy_count = serializers.IntegerField(help_text="How many policies use it.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CalendarInput(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    time_zone = serializers.CharField()
    hours = WeekHours()
    holidays = serializers.ListField(child=serializers.DateField(), required=False)
    holiday_country = serializers.CharField(
        required=False, help_text="Add this country's public holidays (the `holidays` package), such as NP."
    )
    holiday_years = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Default: this year and next."
    )


class CalendarPatchInput(CalendarInput):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False)
    time_zone = serializers.CharField(required=False)
    hours = WeekHours(required=False)


def _calendar(calendar: Any) -> dict[str, Any]:
    return presenters.calendar_data(calendar, policy_count=getattr(calendar, "policy_count", 0))


class CalendarListApi(SlaStaffApi):
    """Staff: the business calendars, the built-in 24/7 one first. Admins add one."""

    @extend_schema(
        operation_id="calendars_list",
        parameters=PAGE_PARAMETERS,
        responses={200: page_of(CalendarOutput, "CalendarPage"), **error_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.calendar_list(), request, view=self)
        return paginator.get_paginated_response([_calendar(calendar) for calendar in page])

    @extend_schema(
        operation_id="calendars_create",
        request=CalendarInput,
        responses={201: CalendarOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        calendar = services.calendar_create(actor=request.user, values=_body(request))
        return Response(_calendar(selectors.calendar_get(calendar_id=calendar.pk)), status=status.HTTP_201_CREATED)


class CalendarDetailApi(SlaStaffApi):
    """Staff: one calendar. Admins change or delete it (not the built-in one, nor one in use)."""

    @extend_schema(
        operation_id="calendars_retrieve", responses={200: CalendarOutput, **error_responses(401, 403, 404, 429)}
    )
    def get(self, request: Request, calendar_id: str) -> Response:
        return Response(_calendar(selectors.calendar_get(calendar_id=calendar_id)))

    @extend_schema(
        operation_id="calendars_update",
        request=CalendarInput,
        responses={200: CalendarOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def put(self, request: Request, calendar_id: str) -> Response:
        calendar = selectors.calendar_get(calendar_id=calendar_id)
        body = _body(request)
        values = {"name": "", "time_zone": "", "hours": {}, "holidays": [], **body}  # a replacement: all fields
        services.calendar_update(actor=request.user, calendar=calendar, values=values)
        return Response(_calendar(selectors.calendar_get(calendar_id=calendar.pk)))

    @extend_schema(
        operation_id="calendars_partial_update",
        request=CalendarPatchInput,
        responses={200: CalendarOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def patch(self, request: Request, calendar_id: str) -> Response:
        calendar = selectors.calendar_get(calendar_id=calendar_id)
        services.calendar_update(actor=request.user, calendar=calendar, values=_body(request))
        return Response(_calendar(selectors.calendar_get(calendar_id=calendar.pk)))

    @extend_schema(operation_id="calendars_destroy", responses={204: None, **error_responses(401, 403, 404, 409, 429)})
    def delete(self, request: Request, calendar_id: str) -> Response:
        calendar = selectors.calendar_get(calendar_id=calendar_id)
        services.calendar_delete(actor=request.user, calendar=calendar)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- policies -------------------------------------------------------------------------------


def _choices(choices: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False)


class ConditionsSchema(serializers.Serializer):
    priority = _choices(Priority.choices)
    category = _choices(Category.choices)
    customer_role = _choices([(role.value, role.label) for role in CUSTOMER_ROLES])
    source = _choices(Source.choices)


def _minutes(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        allow_null=True, required=False, min_value=1, max_value=MAX_TARGET_MINUTES, help_text=help_text
    )


class TargetsSchema(serializers.Serializer):
    first_response = _minutes("Business minutes from creation to the first public staff reply.")
    next_response = _minutes("Business minutes from a customer's waiting message to the next public staff reply.")
    resolution = _minutes("Business minutes from creation to resolved (reopening resumes the clock).")


class PolicyOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    position = serializers.IntegerField(help_text="1 is tried first.")
    calendar = serializers.UUIDField()
    conditions = ConditionsSchema(help_text="A ticket matches when it matches every list given.")
    targets = TargetsSchema()
    escalate_on_breach = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class PolicyInput(serializers.Serializer):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    position = serializers.IntegerField(required=False, min_value=1, help_text="Default: last.")
    calendar = serializers.UUIDField(required=False, help_text="Default: the built-in 24/7 calendar.")
    conditions = ConditionsSchema(required=False)
    targets = TargetsSchema()
    escalate_on_breach = serializers.BooleanField(required=False, default=False)


class PolicyPatchInput(PolicyInput):
    name = serializers.CharField(max_length=NAME_MAX_LENGTH, required=False)
    targets = TargetsSchema(required=False)


class PolicyListApi(SlaStaffApi):
    """Staff: the SLA policies in the order they are tried. Admins add one."""

    @extend_schema(
        operation_id="sla_policies_list",
        parameters=PAGE_PARAMETERS,
        responses={200: page_of(PolicyOutput, "SlaPolicyPage"), **error_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.policy_list(), request, view=self)
        return paginator.get_paginated_response([presenters.policy_data(policy) for policy in page])

    @extend_schema(
        operation_id="sla_policies_create",
        request=PolicyInput,
        responses={201: PolicyOutput, **error_responses(400, 401, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        policy = services.policy_create(actor=request.user, values=_body(request))
        return Response(presenters.policy_data(policy), status=status.HTTP_201_CREATED)


class PolicyDetailApi(SlaStaffApi):
    """Staff: one policy. Admins change it (a new `position` moves it) or delete it."""

    @extend_schema(
        operation_id="sla_policies_retrieve", responses={200: PolicyOutput, **error_responses(401, 403, 404, 429)}
    )
    def get(self, request: Request, policy_id: str) -> Response:
        return Response(presenters.policy_data(selectors.policy_get(policy_id=policy_id)))

    @extend_schema(
        operation_id="sla_policies_update",
        request=PolicyInput,
        responses={200: PolicyOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def put(self, request: Request, policy_id: str) -> Response:
        policy = selectors.policy_get(policy_id=policy_id)
        values = {"name": "", "calendar": None, "conditions": {}, "targets": {}, "escalate_on_breach": False}
        policy = services.policy_update(actor=request.user, policy=policy, values={**values, **_body(request)})
        return Response(presenters.policy_data(policy))

    @extend_schema(
        operation_id="sla_policies_partial_update",
        request=PolicyPatchInput,
        responses={200: PolicyOutput, **error_responses(400, 401, 403, 404, 429)},
    )
    def patch(self, request: Request, policy_id: str) -> Response:
        policy = selectors.policy_get(policy_id=policy_id)
        policy = services.policy_update(actor=request.user, policy=policy, values=_body(request))
        return Response(presenters.policy_data(policy))

    @extend_schema(operation_id="sla_policies_destroy", responses={204: None, **error_responses(401, 403, 404, 429)})
    def delete(self, request: Request, policy_id: str) -> Response:
        policy = selectors.policy_get(policy_id=policy_id)
        services.policy_delete(actor=request.user, policy=policy)
        return Response(status=status.HTTP_204_NO_CONTENT)
