from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "carebridge.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships (s75 agreements, hosting and transfers)"
