from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "carebridge.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding adults (Care Act s42)"
