from django.urls import path

from jingkai.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("compute/", views.compute, name="compute"),
    path("ranking.xlsx", views.export_ranking, name="export_ranking"),
    path("zones/<str:code>/", views.scorecard, name="scorecard"),
    path("zones/<str:code>/what-if/", views.what_if, name="what_if"),
    path("zones/<str:code>/target/", views.target, name="target"),
    path("zones/<str:code>/scorecard.docx", views.export_scorecard, name="export_scorecard"),
]
