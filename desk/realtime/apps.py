from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "desk.realtime"
    label = "realtime"
    verbose_name = "Live updates"
