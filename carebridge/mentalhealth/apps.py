from django.apps import AppConfig


class MentalHealthConfig(AppConfig):
    name = "carebridge.mentalhealth"
    label = "mentalhealth"
    verbose_name = "Mental Health Act work and s117 aftercare"
