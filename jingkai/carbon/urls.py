from django.urls import path

from jingkai.carbon import views

app_name = "carbon"
urlpatterns = [
    path("", views.index, name="index"),
    path("certificates/", views.certificates, name="certificates"),
    path("compute/", views.compute_accounts, name="compute"),
    path("zones/<str:code>/", views.zone, name="zone"),
    path("zones/<str:code>/gate/", views.gate, name="gate"),
    path("zones/<str:code>/account/", views.account, name="account"),
    path("zones/<str:code>/freeze/", views.freeze, name="freeze"),
    path("zones/<str:code>/report.docx", views.report, name="report"),
]
