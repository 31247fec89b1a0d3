from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "carebridge.casework"
    label = "casework"
