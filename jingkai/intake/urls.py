from django.urls import path

from jingkai.intake import views

app_name = "intake"
urlpatterns = [
    path("import/", views.import_data, name="import"),
    path("import/template/<str:kind>/", views.download_template, name="template"),
    path("import/report/<str:sha>/<str:name>", views.import_report, name="report"),
    path("export/<str:kind>.<str:fmt>", views.export_data, name="export"),
]
