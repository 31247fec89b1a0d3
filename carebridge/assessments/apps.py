from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "carebridge.assessments"
    label = "assessments"
    verbose_name = "Needs and carers' assessments, eligibility"
