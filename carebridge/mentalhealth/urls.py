"""Included at the site root (carebridge/urls.py): the AMHP rota, and pages about one person
under people/<person_id>/mental-health-act/."""

from django.urls import path

from . import views

app_name = "mentalhealth"
_A = "people/<str:person_id>/mental-health-act/assessments/"
_S = "people/<str:person_id>/mental-health-act/legal-status/"
urlpatterns = [
    path("amhp/rota/", views.rota, name="rota"),
    path(f"{_A}new/", views.request_assessment, name="assessment-request"),
    path(f"{_A}<int:pk>/", views.assessment, name="assessment"),
    path(f"{_A}<int:pk>/take/", views.take, name="assessment-take"),
    path(f"{_A}<int:pk>/allocate/", views.allocate, name="assessment-allocate"),
    path(f"{_A}<int:pk>/record/", views.record, name="assessment-record"),
    path(f"{_A}<int:pk>/report/", views.report, name="assessment-report"),
    path(f"{_A}<int:pk>/amhp-report.pdf", views.report_pdf, name="assessment-pdf"),
    path(f"{_S}new/", views.start_status, name="status-start"),
    path(f"{_S}<int:pk>/end/", views.end_status, name="status-end"),
    path(f"{_S}<int:pk>/replace/", views.replace_status, name="status-replace"),
]
