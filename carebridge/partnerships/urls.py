"""Partnership pages, under "partnerships/" (carebridge/urls.py): agreements and hosting,
transfers and reallocations, continuity and the hosted vs council-run comparison."""

from django.urls import path

from . import views_compare, views_transfers

app_name = "partnerships"
urlpatterns = [
    # --- transfers and reallocations (views_transfers) ---
    path("transfers/", views_transfers.transfers, name="transfers"),
    # --- continuity and comparison (views_compare) ---
    path("continuity/", views_compare.continuity_page, name="continuity"),
    path("continuity/download/", views_compare.continuity_csv, name="continuity-csv"),
    path("compare/", views_compare.compare_page, name="compare"),
    path("compare/download/", views_compare.compare_csv, name="compare-csv"),
]
