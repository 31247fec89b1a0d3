from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("health/", views.health, name="health"),
    path("session/keep-alive/", views.keep_alive, name="keep-alive"),
]
