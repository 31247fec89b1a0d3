from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "carebridge.people"
    label = "people"
