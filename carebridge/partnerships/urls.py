"""Partnership pages, under "partnerships/" (carebridge/urls.py): agreements and hosting,
transfers and reallocations, continuity and the hosted vs council-run comparison."""

from django.urls import path

from . import views_transfers

app_name = "partnerships"
urlpatterns = [
    # --- transfers and reallocations (views_transfers) ---
    path("transfers/", views_transfers.transfers, name="transfers"),
]
