from django.urls import path

from jingkai.carbon import views

app_name = "carbon"
urlpatterns = [
    path("", views.index, name="index"),
    path("compute/", views.compute_accounts, name="compute"),
    path("zones/<str:code>/", views.zone, name="zone"),
]
