from django.urls import path

from jingkai.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("export.xlsx", views.project_export, name="export"),
    path("new/", views.create_page, name="create"),
    path("<int:pk>/", views.project_page, name="project"),
    path("<int:pk>/edit/", views.edit_page, name="edit"),
    path("pushes/", views.push_list, name="pushes"),
    path("pushes/new/", views.push_new, name="push_new"),
    path("pushes/<int:pk>/", views.push_page, name="push"),
    path("pushes/<int:pk>/export.xlsx", views.push_export, name="push_export"),
    path("pushes/<int:pk>/items/<int:item>/feedback/", views.feedback, name="feedback"),
]
