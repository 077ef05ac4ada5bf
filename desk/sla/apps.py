from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "desk.sla"
    label = "sla"
    verbose_name = "Service levels"

    def ready(self) -> None:
        from desk.sla import events, subscribers  # noqa: F401  (the clocks follow the tickets; who hears what)
