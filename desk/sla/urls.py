from django.urls import path

from desk.sla import apis

urlpatterns = [
    path("calendars/", apis.CalendarListApi.as_view(), name="calendar-list"),
    path("calendars/<str:calendar_id>/", apis.CalendarDetailApi.as_view(), name="calendar-detail"),
    path("sla-policies/", apis.PolicyListApi.as_view(), name="sla-policy-list"),
    path("sla-policies/<str:policy_id>/", apis.PolicyDetailApi.as_view(), name="sla-policy-detail"),
]
