from django.urls import path

from jingkai.monitoring import views

urlpatterns = [
    path("", views.dashboard, name="monitoring_dashboard"),
    path("submissions/", views.submissions, name="monitoring_submissions"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="monitoring_submission"),
    path("submit/<str:zone_code>/<str:period>/", views.submit, name="monitoring_submit"),
    path("bulletins/", views.bulletins, name="monitoring_bulletins"),
    path("bulletins/<int:bulletin_id>/advance/", views.bulletin_advance, name="monitoring_bulletin_advance"),
    path("bulletins/<int:bulletin_id>/download/", views.bulletin_download, name="monitoring_bulletin_download"),
]
