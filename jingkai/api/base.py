"""The REST API under /api/v1: bearer tokens (`jingkai token create`) or the web session."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
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


def docs_access(view):
    """The API's docs and openapi.json for signed-in users (session or bearer token) only, unless
    settings.API_DOCS_PUBLIC (JINGKAI_API_DOCS_PUBLIC=1): the schema maps every endpoint and field."""
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.API_DOCS_PUBLIC or request.user.is_authenticated or BearerToken()(request):
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())
    return guarded


class ReadableJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as text, not \uXXXX escapes


# What the API answers besides 200, documented on every operation (the handlers below): a body {detail},
# for 422 also the bad parameters one by one.
ERROR_SCHEMAS = {
    "Error": {"type": "object", "title": "错误", "required": ["detail"],
              "properties": {"detail": {"type": "string", "title": "说明"}}},
    "ParameterError": {"type": "object", "title": "参数错误", "required": ["param", "message"],
                       "properties": {"param": {"type": "string", "title": "参数"},
                                      "message": {"type": "string", "title": "问题"}}},
    "ValidationError": {"type": "object", "title": "请求参数有误", "required": ["detail", "errors"],
                        "properties": {"detail": {"type": "string", "title": "说明"},
                                       "errors": {"type": "array", "title": "逐项问题",
                                                  "items": {"$ref": "#/components/schemas/ParameterError"}}}},
}
ERROR_RESPONSES = {
    "401": ("未登录或令牌无效", "Error"),
    "403": ("无权执行此操作", "Error"),
    "404": ("未找到，或不在您的数据范围内", "Error"),
    "422": ("请求参数有误（类型或取值范围不对）", "ValidationError"),
}


class JingkaiAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, (description, name) in ERROR_RESPONSES.items():
                    operation["responses"].setdefault(status, {"description": description, "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}})
        return schema


def _problem(error: dict) -> dict[str, str]:
    """One pydantic error as {param, message}, in Chinese."""
    loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body", "paging")]
    ctx = error.get("ctx") or {}
    messages = {
        "missing": "必填",
        "int_parsing": "应为整数", "int_from_float": "应为整数", "float_parsing": "应为数字",
        "bool_parsing": "应为 true 或 false", "string_type": "应为文本", "int_type": "应为整数",
        "greater_than_equal": f"不得小于 {ctx.get('ge')}", "greater_than": f"应大于 {ctx.get('gt')}",
        "less_than_equal": f"不得大于 {ctx.get('le')}", "less_than": f"应小于 {ctx.get('lt')}",
    }
    return {"param": ".".join(loc) or "请求", "message": messages.get(error.get("type", ""), "取值无效")}


api = JingkaiAPI(
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
    docs_decorator=docs_access,
    renderer=ReadableJSON(),
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = [_problem(e) for e in exc.errors]
    detail = "请求参数有误：" + "；".join(f"{e['param']} {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):  # a capability a service requires (authz.require): its Chinese message, as JSON
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到，或不在您的数据范围内"}, status=404)


api.add_router("/me", me_router)
for prefix, router in api_routers():
    api.add_router(prefix, router)
