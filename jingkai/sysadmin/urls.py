from django.urls import path

from jingkai.sysadmin import views

app_name = "sysadmin"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_detail, name="user"),
    path("users/<int:user_id>/active/", views.user_active, name="user_active"),
    path("users/<int:user_id>/password/", views.user_password, name="user_password"),
    path("roles/", views.roles, name="roles"),
    path("units/", views.units, name="units"),
    path("codes/", views.codes, name="codes"),
    path("log/", views.log, name="log"),
]
