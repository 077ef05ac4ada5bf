from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "desk.workspace"
    label = "workspace"
    verbose_name = "Staff workspace"

    def ready(self) -> None:
        from desk.workspace import aggregates  # noqa: F401  (registers MEDIAN on SQLite connections)
