from django.apps import AppConfig


class DutiesConfig(AppConfig):
    name = "carebridge.duties"
    label = "duties"
    verbose_name = "Statutory duties: definitions, evaluation as of any date, compliance"

    def ready(self) -> None:
        from . import services

        services.connect()
