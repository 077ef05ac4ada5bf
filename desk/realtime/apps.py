from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "desk.realtime"
    label = "realtime"
    verbose_name = "Live updates"

    def ready(self) -> None:
        from desk.realtime import receivers  # noqa: F401
