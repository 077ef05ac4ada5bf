from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "desk.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from desk.notifications import events, subscribers  # noqa: F401  (who is told what, and live)
