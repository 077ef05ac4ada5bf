from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "desk.people"
    label = "people"
    verbose_name = "People"
