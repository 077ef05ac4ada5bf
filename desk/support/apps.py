from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "desk.support"
    label = "support"
    verbose_name = "Support"

    def ready(self) -> None:
        # The tag lookup, the stored files' clean-up, and who hears the domain's events live.
        from desk.support import events, lookups, receivers  # noqa: F401
