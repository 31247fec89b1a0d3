from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "carebridge.core"
    label = "core"
    verbose_name = "Core: audit and access"
