from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "desk.mail"
    label = "mail"
    verbose_name = "Email channel"

    def ready(self) -> None:
        # Mail that a provider's webhook delivers (django-anymail's inbound signal).
        from desk.mail import receivers  # noqa: F401
