from django.urls import path

from jingkai.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/<int:draw_id>/", views.draw_detail, name="draw"),
    path("draws/<int:draw_id>/certificate.json", views.certificate, name="certificate"),
    path("draws/<int:draw_id>/plan.xlsx", views.draw_xlsx, name="draw_xlsx"),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/action/", views.plan_action, name="plan_action"),
    path("draws/<int:draw_id>/notice/<str:uscc>.docx", views.notice, name="notice"),
    path("visits/", views.visits, name="visits"),
    path("visits/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("report/", views.report, name="report"),
]
