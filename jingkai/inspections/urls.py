from django.urls import path

from jingkai.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("draws/<int:draw_id>/", views.draw_detail, name="draw"),
    path("draws/<int:draw_id>/certificate.json", views.certificate, name="certificate"),
]
