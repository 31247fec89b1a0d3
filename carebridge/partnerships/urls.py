"""Partnership pages, under "partnerships/" (carebridge/urls.py): agreements and hosting,
transfers and reallocations, continuity and the hosted vs council-run comparison."""

from django.urls import path

from . import views_compare, views_transfers

app_name = "partnerships"
urlpatterns = [
    # --- transfers and reallocations (views_transfers) ---
    path("transfers/", views_transfers.transfers, name="transfers"),
    path("transfers/new/teams/", views_transfers.new_teams, name="transfer-teams"),
    path("transfers/new/workers/", views_transfers.new_workers, name="transfer-workers"),
    path("transfers/new/reallocation/", views_transfers.reallocate, name="reallocate"),
    path("transfers/<str:reference>/", views_transfers.transfer, name="transfer"),
    path("transfers/<str:reference>/confirm/", views_transfers.confirm, name="transfer-confirm"),
    path("transfers/<str:reference>/cancel/", views_transfers.cancel, name="transfer-cancel"),
    path("transfers/<str:reference>/cases.csv", views_transfers.transfer_csv, name="transfer-csv"),
    # --- continuity and comparison (views_compare) ---
    path("continuity/", views_compare.continuity_page, name="continuity"),
    path("continuity/download/", views_compare.continuity_csv, name="continuity-csv"),
    path("compare/", views_compare.compare_page, name="compare"),
    path("compare/download/", views_compare.compare_csv, name="compare-csv"),
]
