from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "carebridge.letters"
    label = "letters"
    verbose_name = "Letters"
