from django.urls import path

from jingkai.measures import views

urlpatterns = [
    path("", views.dashboard, name="measures_dashboard"),
    path("catalogue/", views.catalogue, name="measures_catalogue"),
    path("items/<str:code>/", views.item_detail, name="measures_item"),
    path("tasks/", views.task_register, name="measures_tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="measures_task"),
    path("tasks/<int:task_id>/report/", views.report_save, name="measures_report_save"),
    path("reports/<int:report_id>/<str:action>/", views.report_action, name="measures_report_action"),
    path("export/progress.xlsx", views.export_progress, name="measures_export_progress"),
    path("export/bulletin.docx", views.export_bulletin, name="measures_export_bulletin"),
]
