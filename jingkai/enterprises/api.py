"""Enterprises and their yearly facts over the API; every read goes through the scoped selectors."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from ninja import Query, Router, Schema
from ninja.orm import create_schema
from pydantic import create_model
from pydantic.fields import FieldInfo

from jingkai.enterprises.models import YEAR_TABLES, Enterprise
from jingkai.enterprises.selectors import enterprise_get, enterprise_list, enterprise_year_list
from jingkai.paging import Paging, paginate

router = Router(tags=["企业"])
years_router = Router(tags=["企业"])


class TagOut(Schema):
    tag: str
    valid_from: date | None
    valid_to: date | None


class EnterpriseOut(Schema):
    uscc: str
    name: str
    zone_code: str
    industry_code: str
    established: date | None
    size_class: str
    ownership: str
    above_scale: bool
    listed: bool
    main_products: str
    credit_class: str
    tags: list[TagOut]

    @staticmethod
    def resolve_zone_code(enterprise: Enterprise) -> str:
        return enterprise.zone.code

    @staticmethod
    def resolve_tags(enterprise: Enterprise) -> list:
        return sorted(enterprise.tags.all(), key=lambda t: (t.tag, t.valid_from or date.min))


class EnterprisePage(Schema):
    count: int
    items: list[EnterpriseOut]


@router.get(
    "",
    response=EnterprisePage,
    summary="企业列表",
    description="q 匹配企业名称或统一社会信用代码前缀；industry_code 按前缀匹配（C38 可查到 C3841）。",
)
def list_enterprises(
    request,
    paging: Query[Paging],
    q: str | None = None,
    zone_code: str | None = None,
    industry_code: str | None = None,
    size_class: str | None = None,
    above_scale: bool | None = None,
):
    enterprises = enterprise_list(
        request.user.scope,
        q=q,
        zone_code=zone_code,
        industry_code=industry_code,
        size_class=size_class,
        above_scale=above_scale,
    )
    return paginate(enterprises.prefetch_related("tags"), paging)


@router.get("/{uscc}", response=EnterpriseOut, summary="企业详情")
def get_enterprise(request, uscc: str):
    return enterprise_get(request.user.scope, uscc.upper())


def _year_fields() -> dict[str, tuple[Any, FieldInfo]]:
    """Every fact table's fields as the API shows them (types and descriptions from the models)."""
    out: dict[str, tuple[Any, FieldInfo]] = {}
    for table in YEAR_TABLES:
        facts = table.fact_fields()
        schema = create_schema(table, name=f"{table.__name__}Facts", fields=[f.name for f in facts])
        out |= {name: (info.annotation, info) for name, info in schema.model_fields.items()}
        # ninja types a JSONField as an object; these hold lists of codes (honors)
        out |= {f.name: (list[str], out[f.name][1]) for f in facts
                if isinstance(f, models.JSONField) and f.default is list}
    return out


# One combined row per (uscc, year), the fields of every fact table (jingkai.enterprises.models.YEAR_TABLES).
# Built from the models when the module loads: to the type checker it is a Schema.
if TYPE_CHECKING:
    EnterpriseYearOut = Schema
else:
    EnterpriseYearOut = create_model("EnterpriseYearOut", __base__=Schema, uscc=(str, ...), year=(int, ...),
                                     **_year_fields())


class EnterpriseYearPage(Schema):
    count: int
    items: list[EnterpriseYearOut]


@years_router.get(
    "",
    response=EnterpriseYearPage,
    summary="企业年度数据",
    description="每条为一个（uscc, year），其余字段名与数据字典一致，金额单位为万元。",
)
def list_enterprise_years(
    request,
    paging: Query[Paging],
    uscc: str | None = None,
    year: int | None = None,
    zone_code: str | None = None,
):
    years = enterprise_year_list(
        request.user.scope, uscc=uscc.upper() if uscc else None, year=year, zone_code=zone_code
    )
    return paginate(years, paging)
