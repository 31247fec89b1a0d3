from django.urls import path

from . import views

app_name = "duties"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("figures.csv", views.dashboard_csv, name="dashboard-csv"),
    path("people/", views.people_page, name="people"),
    path("people.csv", views.people_csv, name="people-csv"),
    path("trends/", views.trends_page, name="trends"),
    path("trends.csv", views.trends_csv, name="trends-csv"),
    path("standards/", views.standards_page, name="standards"),
    path(
        "standards/<str:duty_id>/<str:effective_from>/withdraw/",
        views.withdraw_standard_page,
        name="withdraw-standard",
    ),
]
