from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("carebridge.core.urls")),
    path("", include("carebridge.casework.urls")),
    path("people/", include("carebridge.people.urls")),
    path("people/", include("carebridge.frontdoor.urls")),
    path("people/", include("carebridge.assessments.urls")),
    path("people/", include("carebridge.planning.urls")),
    path("people/", include("carebridge.finance.urls")),
    path("compliance/", include("carebridge.duties.urls")),
    path("performance/", include("carebridge.returns.urls")),
    path("", include("carebridge.mentalhealth.urls")),
    path("", include("carebridge.mentalhealth.aftercare_urls")),
    path("", include("carebridge.safeguarding.urls")),
    path("partnerships/", include("carebridge.partnerships.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "carebridge.core.views.permission_denied"
handler404 = "carebridge.core.views.not_found"
handler500 = "carebridge.core.views.server_error"
