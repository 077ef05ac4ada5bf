"""Websocket routes: the live-update endpoint; any other path is refused cleanly."""

from django.urls import path, re_path

from desk.realtime.consumers import EventsConsumer, NoSuchEndpointConsumer

websocket_urlpatterns = [
    path("ws/", EventsConsumer.as_asgi()),
    re_path(r"", NoSuchEndpointConsumer.as_asgi()),
]
