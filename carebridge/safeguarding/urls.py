"""Included at the site root (carebridge/urls.py). Pages about one person live under
"people/<person_id>/safeguarding/": no people pattern has that many segments. The overview,
the SAC figures and the provider pages are not about one person."""

from django.urls import path

from . import views

app_name = "safeguarding"
_P = "people/<str:person_id>/safeguarding"
_E = f"{_P}/enquiries/<int:pk>"
urlpatterns = [
    path("safeguarding/", views.overview, name="overview"),
    path("safeguarding/figures/", views.sac_figures, name="figures"),
    path("providers/safeguarding/", views.providers, name="providers"),
    path("providers/<int:pk>/safeguarding/", views.provider, name="provider"),
    path(f"{_P}/concerns/new/", views.raise_concern, name="raise-concern"),
    path(f"{_P}/concerns/<int:pk>/", views.concern, name="concern"),
    path(f"{_P}/concerns/<int:pk>/decision/", views.decide, name="decide"),
    path(f"{_E}/", views.enquiry, name="enquiry"),
    path(f"{_E}/edit/", views.enquiry_edit, name="enquiry-edit"),
    path(f"{_E}/outcomes/", views.outcomes, name="outcomes"),
    path(f"{_E}/advocacy/", views.advocacy, name="advocacy"),
    path(f"{_E}/actions/new/", views.add_action, name="add-action"),
    path(f"{_E}/meetings/new/", views.add_meeting, name="add-meeting"),
    path(f"{_E}/plan/", views.plan, name="plan"),
    path(f"{_E}/plan/review/", views.plan_review, name="plan-review"),
    path(f"{_E}/conclude/", views.conclude, name="conclude"),
]
