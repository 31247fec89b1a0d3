from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("ascof.csv", views.ascof_csv, name="ascof-csv"),
    path("salt/", views.salt_page, name="salt"),
    path("salt/<str:code>.csv", views.salt_csv, name="salt-csv"),
    path("readiness/", views.readiness_page, name="readiness"),
    path("readiness/failing-rows.csv", views.failing_csv, name="failing-csv"),
    path("cld.csv", views.cld_file, name="cld-file"),
    path("refresh/", views.refresh, name="refresh"),
]
