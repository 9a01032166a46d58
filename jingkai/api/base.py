"""The REST API under /api/v1: bearer tokens (`jingkai token create`) or the web session."""

from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, django_auth

from jingkai.accounts.models import ApiToken, hash_token
from jingkai.api.me import router as me_router
from jingkai.registry import api_routers


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__org_unit")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if not found or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class ReadableJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as text, not \uXXXX escapes


api = NinjaAPI(
    title="经开平台 API",
    version="1",
    description=(
        "甘肃省国家级经开区数据接口。列表接口接受 limit/offset，统一返回 {count, items}，"
        "字段使用数据字典中的规范键名。"
        "认证：请求头 `Authorization: Bearer 令牌`（令牌由 `jingkai token create 用户名` 生成），"
        "或已登录的网页会话。"
        "数据范围与网页一致：园区用户只能读取本园区的数据。"
    ),
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
    renderer=ReadableJSON(),
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到，或不在您的数据范围内"}, status=404)


api.add_router("/me", me_router)
for prefix, router in api_routers():
    api.add_router(prefix, router)
