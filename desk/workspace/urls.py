from django.urls import path

from desk.workspace import apis

urlpatterns = [
    path("agents/", apis.AgentListApi.as_view(), name="agent-list"),
    path("customers/", apis.CustomerListApi.as_view(), name="customer-list"),
    path("canned-responses/", apis.CannedListApi.as_view(), name="canned-list"),
    path("canned-responses/<str:response_id>/", apis.CannedDetailApi.as_view(), name="canned-detail"),
    path("canned-responses/<str:response_id>/render/", apis.CannedRenderApi.as_view(), name="canned-render"),
    path("tickets/bulk/", apis.TicketBulkApi.as_view(), name="ticket-bulk"),
    path("tickets/<str:ticket_id>/history/", apis.TicketHistoryApi.as_view(), name="ticket-history"),
    path("metrics/", apis.MetricsApi.as_view(), name="metrics"),
]
