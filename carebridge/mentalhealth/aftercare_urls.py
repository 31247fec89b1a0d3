"""s117 aftercare pages (kept apart from the Mental Health Act pages' urls.py)."""

from django.urls import path

from . import aftercare_views as views

app_name = "aftercare"
urlpatterns = [
    path("people/<str:person_id>/aftercare/", views.overview, name="overview"),
    path(
        "people/<str:person_id>/aftercare/eligibility/<int:pk>/",
        views.record_eligibility,
        name="record-eligibility",
    ),
    path("people/<str:person_id>/aftercare/<int:pk>/plan/", views.plan, name="plan"),
    path(
        "people/<str:person_id>/aftercare/<int:pk>/services/add/",
        views.add_service,
        name="add-service",
    ),
    path(
        "people/<str:person_id>/aftercare/<int:pk>/services/<int:funding_pk>/",
        views.change_service,
        name="change-service",
    ),
    path("people/<str:person_id>/aftercare/<int:pk>/review/", views.review, name="review"),
    path("people/<str:person_id>/aftercare/<int:pk>/end/", views.end, name="end"),
    path("aftercare/register/", views.register, name="register"),
    path("aftercare/register.csv", views.register_csv, name="register-csv"),
]
