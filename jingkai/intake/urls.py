from django.urls import path

from jingkai.web import intake_views

app_name = "intake"
urlpatterns = [
    path("indicators/entry/", intake_views.indicator_entry, name="entry"),
    path("import/", intake_views.import_data, name="import"),
    path("import/template/<str:kind>/", intake_views.download_template, name="template"),
    path("import/report/<str:sha>/<str:name>", intake_views.import_report, name="report"),
    path("export/<str:kind>.<str:fmt>", intake_views.export_data, name="export"),
]
