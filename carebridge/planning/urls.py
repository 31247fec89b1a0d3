"""Included at "people/" (carebridge/urls.py), after people.urls, whose "<person_id>/" would
catch any one-segment path such as "approvals/": so the two pages that are not about one person
live under "plans/", which no person pattern of two segments matches (person IDs look like
P0001234), and they are listed first."""

from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("plans/approvals/", views.approvals, name="approvals"),
    path("plans/resource-allocation-system/", views.ras_scheme, name="ras"),
    path("<str:person_id>/plans/new/<int:assessment_pk>/", views.start, name="start"),
    path("<str:person_id>/plans/<int:pk>/", views.detail, name="detail"),
    path("<str:person_id>/plans/<int:pk>/edit/", views.edit, name="edit"),
    path("<str:person_id>/plans/<int:pk>/services/new/", views.add_service, name="add-service"),
    path(
        "<str:person_id>/plans/<int:pk>/services/<int:service_pk>/remove/",
        views.remove_service,
        name="remove-service",
    ),
    path(
        "<str:person_id>/plans/<int:pk>/direct-payment/",
        views.direct_payment,
        name="direct-payment",
    ),
    path("<str:person_id>/plans/<int:pk>/submit/", views.submit, name="submit"),
    path("<str:person_id>/plans/<int:pk>/decision/", views.decide, name="decide"),
    path("<str:person_id>/plans/<int:pk>/plan.pdf", views.pdf, name="pdf"),
    path(
        "<str:person_id>/plans/<int:pk>/reviews/request/",
        views.request_review,
        name="request-review",
    ),
    path("<str:person_id>/plans/<int:pk>/reviews/new/", views.review, name="review"),
]
