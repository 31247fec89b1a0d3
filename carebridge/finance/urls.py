"""Included at "people/" (carebridge/urls.py), after planning: every page is about one person."""

from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("<str:person_id>/charging/", views.overview, name="overview"),
    path("<str:person_id>/financial-assessments/new/", views.start, name="start"),
    path("<str:person_id>/financial-assessments/<int:pk>/", views.detail, name="detail"),
    path("<str:person_id>/financial-assessments/<int:pk>/edit/", views.edit, name="edit"),
    path(
        "<str:person_id>/financial-assessments/<int:pk>/complete/",
        views.complete,
        name="complete",
    ),
    path(
        "<str:person_id>/financial-assessments/<int:pk>/recalculate/",
        views.recalculate,
        name="recalculate",
    ),
    path(
        "<str:person_id>/financial-assessments/<int:pk>/charging-letter.pdf",
        views.letter,
        name="letter",
    ),
]
