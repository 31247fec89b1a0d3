from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "carebridge.finance"
    label = "finance"
    verbose_name = "Financial assessments and charges"
