from django.urls import path

from jingkai.zones import views

app_name = "zones"
urlpatterns = [
    path("", views.zone_list_view, name="list"),
    path("mine/", views.my_zone, name="mine"),
    path("<str:code>/", views.zone_detail, name="detail"),
]
