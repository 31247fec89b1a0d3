from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "carebridge.planning"
    label = "planning"
    verbose_name = "Care and support plans, personal budgets, direct payments and reviews"
