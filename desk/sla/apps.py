from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "desk.sla"
    label = "sla"
    verbose_name = "Service levels"

    def ready(self) -> None:
        from desk.sla import events, subscribers  # noqa: F401  (the clocks follow the tickets; who hears what)
        from desk.sla.schema import SlaOutput
        from desk.sla.selectors import sla_blocks_for
        from desk.support.staff_view import StaffField, register

        # Staff see each ticket's service level in the list and the detail.
        register(
            StaffField(
                name="sla",
                schema=lambda: SlaOutput(
                    allow_null=True,
                    required=False,
                    help_text="Staff only (absent for customers): the ticket's service level, or null when no "
                    "policy applies.",
                ),
                values=sla_blocks_for,
            )
        )
