from django.urls import path

from jingkai.measures import views

app_name = "measures"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("tasks/", views.task_register, name="tasks"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/report/", views.report_save, name="report_save"),
    path("reports/<int:report_id>/attachment/", views.attachment, name="attachment"),  # before the actions
    path("reports/<int:report_id>/<str:action>/", views.report_action, name="report_action"),
    path("export/progress.xlsx", views.export_progress, name="export_progress"),
    path("export/bulletin.docx", views.export_bulletin, name="export_bulletin"),
]
