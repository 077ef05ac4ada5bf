from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "desk.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        from desk.support import lookups, receivers  # noqa: F401  (registers the tag lookup and file clean-up)
