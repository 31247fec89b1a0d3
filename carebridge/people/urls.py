from django.urls import path

from . import carer_offer_views, views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<str:person_id>/", views.detail, name="detail"),
    path("<str:person_id>/edit/", views.edit, name="edit"),
    path("<str:person_id>/accommodation/", views.accommodation, name="accommodation"),
    path("<str:person_id>/employment/", views.employment, name="employment"),
    path("<str:person_id>/audit/", views.audit_log, name="audit"),
    path("<str:person_id>/carers/new/", views.add_carer, name="add-carer"),
    path(
        "<str:person_id>/carers/<int:pk>/assessment-offers/new/",
        carer_offer_views.record_offer,
        name="carer-offer",
    ),
    path(
        "<str:person_id>/carer-assessment-offers/<int:pk>/response/",
        carer_offer_views.record_response,
        name="carer-offer-response",
    ),
    path("<str:person_id>/alerts/new/", views.add_alert, name="add-alert"),
    path("<str:person_id>/restriction/", views.restriction, name="restriction"),
]
