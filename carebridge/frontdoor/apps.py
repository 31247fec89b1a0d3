from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "carebridge.frontdoor"
    label = "frontdoor"
