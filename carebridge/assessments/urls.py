from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("<str:person_id>/assessments/new/", views.start, name="start"),
    path("<str:person_id>/assessments/<int:pk>/", views.detail, name="detail"),
    path("<str:person_id>/assessments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path(
        "<str:person_id>/assessments/<int:pk>/eligibility-letter.pdf",
        views.letter,
        name="letter",
    ),
    path("<str:person_id>/assessments/<int:pk>/<slug:slug>/", views.section, name="section"),
]
