from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "desk.demo"
    label = "demo"
    verbose_name = "Demo data"
