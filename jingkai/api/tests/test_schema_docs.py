"""The OpenAPI schema says what the API answers: the error statuses with their bodies, honors as a list."""

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from jingkai.api import api


def test_every_operation_documents_its_errors():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, name in (("401", "Error"), ("403", "Error"), ("404", "Error"), ("422", "ValidationError")):
                body = operation["responses"][status]["content"]["application/json"]["schema"]
                assert body == {"$ref": f"#/components/schemas/{name}"}, (method, path, status)


def test_honors_is_a_list_of_codes():
    years = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]["EnterpriseYearOut"]
    assert years["properties"]["honors"]["type"] == "array"
    assert years["properties"]["honors"]["items"] == {"type": "string"}


def test_permission_denied_is_a_json_403():
    response = api.on_exception(RequestFactory().get("/api/v1/zones"), PermissionDenied("您无权导入园区和企业数据"))
    assert response.status_code == 403
    assert response.content.decode() == '{"detail": "您无权导入园区和企业数据"}'
