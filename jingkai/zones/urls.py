from django.urls import path

from jingkai.zones import views

app_name = "zones"
urlpatterns = [  # mounted at the site root (zones/apps.py)
    path("zones/", views.zone_list_view, name="list"),
    path("zones/mine/", views.my_zone, name="mine"),
    path("zones/<str:code>/", views.zone_detail, name="detail"),
    path("indicators/entry/", views.indicator_entry, name="entry"),
]
