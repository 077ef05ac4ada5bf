"""ASGI entry point: HTTP through Django, websockets through Channels, one server."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from desk.accounts.sockets import JwtAuthMiddleware  # noqa: E402
from desk.realtime.routing import websocket_urlpatterns  # noqa: E402

if settings.EMBEDDED_SCHEDULER:
    from desk.core.scheduler import start_embedded_scheduler

    start_embedded_scheduler()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": JwtAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
