"""Websocket routes."""

from django.urls import path

from desk.realtime.consumers import EventsConsumer

websocket_urlpatterns = [path("ws/", EventsConsumer.as_asgi())]
