from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "desk.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from desk.notifications import receivers  # noqa: F401
