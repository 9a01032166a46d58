from django.urls import path

from jingkai.investment import views

app_name = "investment"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("new/", views.create_page, name="create"),
    path("landing/", views.landing_page, name="landing"),
    path("key-foreign/", views.key_foreign_page, name="key_foreign"),
    path("key-foreign/export.xlsx", views.key_foreign_export, name="key_foreign_export"),
    path("events/", views.events_page, name="events"),
    path("events/<int:pk>/", views.event_page, name="event"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("co-builds/", views.co_builds_page, name="co_builds"),
    path("co-builds/new/", views.co_build_create, name="co_build_create"),
    path("co-builds/<int:pk>/edit/", views.co_build_edit, name="co_build_edit"),
    path("teams/", views.teams_page, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("performance.xlsx", views.performance_export, name="performance_export"),
    path("<int:pk>/", views.project_page, name="project"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/fdi/", views.fdi_receipt, name="fdi_receipt"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/transition/", views.transition, name="transition"),
]
