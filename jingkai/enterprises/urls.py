from django.urls import path

from jingkai.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list_view, name="list"),
    path("<str:uscc>/", views.enterprise_detail, name="detail"),
]
