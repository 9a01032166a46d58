"""The REST API under /api/v1: bearer tokens (`jingkai token create`) or the web session."""

from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from jingkai.accounts.models import ApiToken, hash_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user", "user__org_unit").filter(key_hash=hash_token(token)).first()
        if not found or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="经开平台 API",
    version="1",
    description="甘肃省国家级经开区数据接口。列表接口统一返回 {count, items}，字段使用数据字典中的规范键名。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)

from jingkai.api import routes  # noqa: E402,F401  (registers the routers)
