"""Reading enterprises, always through the user's scope. Page figures come back as frozen dataclasses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from jingkai.accounts.scope import Scope
from jingkai.enterprises.models import Enterprise, EnterpriseTag, EnterpriseYear


def enterprise_list(scope: Scope, *, q: str | None = None, zone_code: str | None = None,
                    industry_code: str | None = None, size_class: str | None = None,
                    above_scale: bool | None = None) -> QuerySet[Enterprise]:
    """`q` matches name or USCC; `industry_code` matches as a prefix (C38 finds C3841)."""
    enterprises = scope.filter(Enterprise.objects.select_related("zone"))
    if q:
        enterprises = enterprises.filter(Q(name__contains=q) | Q(uscc__startswith=q.upper()))
    if zone_code:
        enterprises = enterprises.filter(zone__code=zone_code)
    if industry_code:
        enterprises = enterprises.filter(industry_code__startswith=industry_code.upper())
    if size_class:
        enterprises = enterprises.filter(size_class=size_class)
    if above_scale is not None:
        enterprises = enterprises.filter(above_scale=above_scale)
    return enterprises.order_by("zone__code", "name")


def enterprise_get(scope: Scope, uscc: str) -> Enterprise:
    """404 when the enterprise does not exist or lies outside the scope: the two are not told apart."""
    return get_object_or_404(enterprise_list(scope), uscc=uscc)


def enterprise_year_list(scope: Scope, *, uscc: str | None = None, year: int | None = None,
                         zone_code: str | None = None) -> QuerySet[EnterpriseYear]:
    years = scope.filter(EnterpriseYear.objects.select_related("enterprise", "enterprise__zone"), "enterprise__zone")
    if uscc:
        years = years.filter(enterprise__uscc=uscc)
    if year:
        years = years.filter(year=year)
    if zone_code:
        years = years.filter(enterprise__zone__code=zone_code)
    return years.order_by("enterprise__uscc", "year")


# ---- counts ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EnterpriseCounts:
    """A zone's enterprises: in total, above scale, by size class and by industry division (top 12)."""

    total: int
    above_scale: int
    by_size: tuple[tuple[str, int], ...]  # (Chinese size label, count)
    by_industry: tuple[tuple[str, int], ...]  # (GB/T 4754 division code such as C38, count)


def enterprise_counts(scope: Scope, zone_code: str) -> EnterpriseCounts:
    enterprises = enterprise_list(scope, zone_code=zone_code).order_by()
    sizes = dict(enterprises.values_list("size_class").annotate(n=Count("id")))
    by_size = [(str(label), sizes.get(value, 0)) for value, label in Enterprise.Size.choices]
    if sizes.get(""):
        by_size.append(("未分类", sizes[""]))
    industries = (enterprises.annotate(division=Substr("industry_code", 1, 3)).values_list("division")
                  .annotate(n=Count("id")).order_by("-n", "division")[:12])
    return EnterpriseCounts(total=sum(sizes.values()), above_scale=enterprises.filter(above_scale=True).count(),
                            by_size=tuple(by_size), by_industry=tuple((str(d), int(n)) for d, n in industries))


def enterprise_totals(scope: Scope, zone_ids: Iterable[int]) -> dict[int, int]:
    """{zone id: number of enterprises} for the given zones, in one query."""
    rows = (enterprise_list(scope).filter(zone_id__in=list(zone_ids)).order_by()
            .values_list("zone_id").annotate(n=Count("id")))
    return {zone_id: n for zone_id, n in rows}


@dataclass(frozen=True)
class ZoneOption:
    code: str
    name: str


def zones_with_enterprises(scope: Scope) -> list[ZoneOption]:
    """The zones (of the scope) that have enterprises, for the list's zone filter, by zone code."""
    rows = scope.filter(Enterprise.objects.all()).order_by("zone__code").values_list("zone__code", "zone__name")
    return [ZoneOption(code, name) for code, name in rows.distinct()]


# ---- the enterprise page ------------------------------------------------------------------------------------

HONOR_LABELS = dict(EnterpriseTag.Tag.choices) | {
    "tech_innovation_demo": "技术创新示范企业", "ip_advantage": "知识产权优势企业",
    "sci_award_national": "国家级科学技术奖", "sci_award_provincial": "省级科学技术奖",
    "maker_china_500": "“创客中国”500强", "maker_china_50": "“创客中国”50强",
}
YEAR_FIELDS = [f for f in EnterpriseYear._meta.concrete_fields if f.name not in {"id", "enterprise", "year"}]


@dataclass(frozen=True)
class TagStatus:
    tag: EnterpriseTag
    status: str  # 有效 / 未生效 / 已过期

    @property
    def valid(self) -> bool:
        return self.status == "有效"


@dataclass(frozen=True)
class YearRow:
    label: str
    unit: str
    values: tuple[str | None, ...]  # one per year shown, formatted; None when not reported


@dataclass(frozen=True)
class EnterpriseProfile:
    enterprise: Enterprise
    tags: tuple[TagStatus, ...]
    years: tuple[int, ...]
    rows: tuple[YearRow, ...]


def _display(year: EnterpriseYear, field) -> str | None:
    value = getattr(year, field.name)
    if value is None or value == "" or value == []:
        return None
    if field.choices:
        return str(getattr(year, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(HONOR_LABELS.get(str(v), str(v))) for v in value)
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def tag_status(tag: EnterpriseTag, today: date) -> str:
    if tag.valid_from and tag.valid_from > today:
        return "未生效"
    if tag.valid_to and tag.valid_to < today:
        return "已过期"
    return "有效"


def enterprise_profile(scope: Scope, uscc: str, *, today: date | None = None) -> EnterpriseProfile:
    """The enterprise page: its tags with their status today, and every year fact formatted per year."""
    enterprise = enterprise_get(scope, uscc)
    years = list(enterprise_year_list(scope, uscc=enterprise.uscc))
    today = today or date.today()
    tags = tuple(TagStatus(t, tag_status(t, today)) for t in enterprise.tags.order_by("tag", "valid_from"))
    rows = tuple(YearRow(str(f.verbose_name), str(f.help_text), tuple(_display(y, f) for y in years))
                 for f in YEAR_FIELDS)
    return EnterpriseProfile(enterprise, tags, tuple(y.year for y in years), rows)
