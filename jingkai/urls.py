"""The site's URLs: the admin, the API, every domain's pages (collected from the registry), the core pages."""

from django.contrib import admin
from django.urls import include, path

from jingkai.api import api
from jingkai.registry import domains

admin.site.site_header = admin.site.site_title = "经开平台后台管理"
admin.site.index_title = "后台数据"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    *[path(domain.url_prefix, include(domain.urls)) for _, domain in domains()
      if domain.urls and domain.url_prefix is not None],
    path("", include("jingkai.web.urls")),
]

# Rendered with the request, so a signed-in user keeps the menu (Django's own render 400 and 500 without it).
handler400 = "jingkai.web.views.bad_request"
handler500 = "jingkai.web.views.server_error"
