from django.urls import path

from jingkai.chains import views

app_name = "chains"
urlpatterns = [
    path("", views.index, name="index"),
    path("run/", views.run_view, name="run"),
    path("leaders/", views.leaders, name="leaders"),
    path("targets/", views.targets, name="targets"),
    path("purchases/", views.purchases, name="purchases"),
    path("purchases/new/", views.purchase_create, name="purchase_create"),
    path("purchases/<int:pk>/edit/", views.purchase_edit, name="purchase_edit"),
    path("gaps.xlsx", views.gaps_export, name="gaps_export"),
    path("gaps.docx", views.gaps_word, name="gaps_word"),
    path("assignments/<int:assignment_id>/decide/", views.decide_view, name="decide"),
    path("enterprises/<str:uscc>/add/", views.add_link_view, name="add_link"),
    path("<str:chain>/", views.chain, name="chain"),
    path("<str:chain>/<str:link>/", views.link, name="link"),
]
