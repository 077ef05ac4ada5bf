from django.urls import path

from desk.support import apis

urlpatterns = [
    path("tickets/", apis.TicketListCreateApi.as_view(), name="ticket-list"),
    path("tickets/<str:ticket_id>/", apis.TicketDetailApi.as_view(), name="ticket-detail"),
    path("tickets/<str:ticket_id>/messages/", apis.TicketMessagesApi.as_view(), name="ticket-messages"),
    path("tickets/<str:ticket_id>/attachments/", apis.TicketAttachmentsApi.as_view(), name="ticket-attachments"),
    path("tickets/<str:ticket_id>/assign/", apis.TicketAssignApi.as_view(), name="ticket-assign"),
    path("tickets/<str:ticket_id>/escalate/", apis.TicketEscalateApi.as_view(), name="ticket-escalate"),
    path("attachments/<str:attachment_id>/", apis.AttachmentDetailApi.as_view(), name="attachment-detail"),
    path("attachments/<str:attachment_id>/download/", apis.AttachmentDownloadApi.as_view(), name="attachment-download"),
]
