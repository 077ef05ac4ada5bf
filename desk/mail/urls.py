import functools
import logging
from typing import Any

from anymail import urls as anymail_urls
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, path

from desk.mail import apis

logger = logging.getLogger(__name__)

# Mounted at /api/ (the raw mail endpoint) and /api/support/ (what staff read).
inbound_urlpatterns = [
    path("inbound/email/", apis.InboundEmailApi.as_view(), name="inbound-email"),
]
support_urlpatterns = [
    path("tickets/<str:ticket_id>/emails/", apis.TicketEmailsApi.as_view(), name="ticket-emails"),
    path("inbound-emails/<str:inbound_id>/raw/", apis.InboundEmailRawApi.as_view(), name="inbound-email-raw"),
]


def _guarded(view: Any) -> Any:
    """A provider webhook with a body its parser chokes on is refused (400), never a 500."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Exception:
            logger.warning("A provider webhook could not be read.", exc_info=True)
            return JsonResponse(
                {"error": "validation_error", "message": "The webhook's body could not be read.", "details": {}},
                status=400,
            )

    return guarded


# Mounted at /anymail/: the providers' inbound (and tracking) webhooks, e.g. /anymail/mailgun/inbound/.
webhook_urlpatterns = [
    URLPattern(pattern.pattern, _guarded(pattern.callback), pattern.default_args, pattern.name)
    for pattern in anymail_urls.urlpatterns
]
