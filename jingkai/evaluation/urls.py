from django.urls import path

from jingkai.evaluation import views

urlpatterns = [
    path("", views.ranking, name="evaluation_ranking"),
    path("compute/", views.compute, name="evaluation_compute"),
    path("ranking.xlsx", views.export_ranking, name="evaluation_export_ranking"),
    path("zones/<str:code>/", views.scorecard, name="evaluation_scorecard"),
    path("zones/<str:code>/what-if/", views.what_if, name="evaluation_what_if"),
    path("zones/<str:code>/target/", views.target, name="evaluation_target"),
    path("zones/<str:code>/scorecard.docx", views.export_scorecard, name="evaluation_export_scorecard"),
]
