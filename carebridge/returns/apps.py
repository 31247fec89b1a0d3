from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "carebridge.returns"
    verbose_name = "Statutory returns"
