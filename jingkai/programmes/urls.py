from django.urls import path

from jingkai.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.index, name="index"),
    path("enterprise/<str:uscc>/", views.enterprise_fragment, name="enterprise"),
    path("zone/<str:code>/mujun/", views.zone_mujun_fragment, name="zone_mujun"),
    path("<slug:slug>/", views.programme_page, name="page"),
    path("<slug:slug>/export.xlsx", views.programme_export, name="export"),
    path("<slug:slug>/run/", views.programme_run, name="run"),
]
