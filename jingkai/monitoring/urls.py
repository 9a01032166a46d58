from django.urls import path

from jingkai.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators/<str:key>/", views.indicator, name="indicator"),
    path("indicators/<str:key>/<str:zone_code>/", views.zone_indicator, name="zone_indicator"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/batch/", views.batch_review, name="batch_review"),
    path("submissions/<int:submission_id>/withdraw/", views.withdraw, name="withdraw"),
    path("submissions/<int:submission_id>/corrections/", views.correction_request, name="correction_request"),
    path("corrections/<int:correction_id>/review/", views.correction_review, name="correction_review"),
    path("submit/<str:zone_code>/<str:period>/", views.submit, name="submit"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:bulletin_id>/advance/", views.bulletin_advance, name="bulletin_advance"),
    path("bulletins/<int:bulletin_id>/download/", views.bulletin_download, name="bulletin_download"),
]
