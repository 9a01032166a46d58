from django.contrib.auth import views as auth_views
from django.urls import path

from jingkai.web import intake_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("zones/", views.zone_list_view, name="zone_list"),
    path("zones/mine/", views.my_zone, name="my_zone"),
    path("zones/<str:code>/", views.zone_detail, name="zone_detail"),
    path("enterprises/", views.enterprise_list_view, name="enterprise_list"),
    path("enterprises/<str:uscc>/", views.enterprise_detail, name="enterprise_detail"),
    path("indicators/entry/", intake_views.indicator_entry, name="indicator_entry"),
    path("import/", intake_views.import_data, name="import_data"),
    path("import/template/<str:kind>/", intake_views.download_template, name="import_template"),
    path("import/report/<str:sha>/<str:name>", intake_views.import_report, name="import_report"),
    path("export/<str:kind>.<str:fmt>", intake_views.export_data, name="export_data"),
]
