from django.urls import path

from . import views

app_name = "casework"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("break-glass/", views.break_glass_report, name="break-glass-report"),
    path("people/<str:person_id>/allocate/", views.allocate, name="allocate"),
    path("people/<str:person_id>/notes/new/", views.add_case_note, name="add-note"),
    path("people/<str:person_id>/break-glass/", views.break_glass, name="break-glass"),
]
