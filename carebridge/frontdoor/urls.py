from django.urls import path

from . import views

app_name = "frontdoor"
urlpatterns = [
    path("<str:person_id>/contacts/new/", views.record_contact, name="record-contact"),
]
