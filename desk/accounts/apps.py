from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "desk.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from desk.accounts import events  # noqa: F401  (who hears its events live)
