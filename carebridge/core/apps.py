from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "carebridge.core"
    label = "core"
    verbose_name = "Core: audit and access"

    def ready(self) -> None:
        from . import planner_statistics

        post_migrate.connect(
            planner_statistics.after_migrate, dispatch_uid="carebridge.core.planner_statistics"
        )
