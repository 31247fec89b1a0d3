"""Partnership pages, under "partnerships/" (carebridge/urls.py): agreements and hosting,
transfers and reallocations, continuity and the hosted vs council-run comparison."""

from django.urls import path

from . import views_agreements, views_compare, views_transfers

app_name = "partnerships"
urlpatterns = [
    # --- agreements and hosting (views_agreements) ---
    path("", views_agreements.overview, name="overview"),
    path("agreements/new/", views_agreements.agreement_new, name="agreement-new"),
    path("agreements/<int:pk>/", views_agreements.agreement, name="agreement"),
    path("agreements/<int:pk>/edit/", views_agreements.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/extend/", views_agreements.agreement_extend, name="agreement-extend"),
    path("agreements/<int:pk>/end/", views_agreements.agreement_end, name="agreement-end"),
    path(
        "agreements/<int:pk>/conditions/new/",
        views_agreements.agreement_condition,
        name="agreement-condition",
    ),
    path(
        "agreements/<int:pk>/conditions/<int:condition_pk>/remove/",
        views_agreements.agreement_condition_remove,
        name="agreement-condition-remove",
    ),
    path("agreements/<int:pk>/teams/new/", views_agreements.agreement_team, name="agreement-team"),
    path("hosting/", views_agreements.hosting, name="hosting"),
    path("hosting.csv", views_agreements.hosting_csv, name="hosting-csv"),
    # --- transfers and reallocations (views_transfers) ---
    path("transfers/", views_transfers.transfer_list, name="transfers"),
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
