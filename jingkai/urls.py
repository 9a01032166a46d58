from django.contrib import admin
from django.urls import include, path

from jingkai.api import api

admin.site.site_header = admin.site.site_title = "经开平台后台管理"
admin.site.index_title = "后台数据"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("measures/", include("jingkai.measures.urls")),
    path("monitoring/", include("jingkai.monitoring.urls")),
    path("evaluation/", include("jingkai.evaluation.urls")),
    path("programmes/", include("jingkai.programmes.urls")),
    path("", include("jingkai.web.urls")),
]
