from django.contrib.auth import views as auth_views
from django.urls import path

from jingkai.web import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    path("account/", views.account, name="account"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("healthz", views.healthz, name="healthz"),
]
