"""Reading enterprises, always through the user's scope. Page figures come back as frozen dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404

from jingkai.accounts.scope import Scope
from jingkai.bulk import concrete_field, db_column
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, EnterpriseTag, YearFacts
from jingkai.registry import provided
from jingkai.zones.models import Zone
from jingkai.zones.selectors import ZoneSection

# Extension point of the enterprise page: (scope, enterprise) -> ZoneSection (a template and its data), a
# panel another domain adds (chains: the enterprise's links) without enterprises importing it.
PAGE_SECTIONS = "enterprises.page_sections"


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


def readable_tables(scope: Scope, tables: Sequence[type[YearFacts]] = YEAR_TABLES) -> list[type[YearFacts]]:
    """The fact tables of `tables` that `scope` may read (a department: those its unit is set to read)."""
    return [t for t in tables if scope.reads_table(t.key())]


def year_facts(scope: Scope, table: type[YearFacts], *, uscc: str | None = None, year: int | None = None,
               zone_code: str | None = None) -> QuerySet[YearFacts]:
    """One fact table's rows that `scope` sees, by (uscc, year); none of a table it may not read."""
    rows = scope.filter(table.objects.select_related("enterprise", "enterprise__zone"), "enterprise__zone")
    if not scope.reads_table(table.key()):
        return rows.none()
    if uscc:
        rows = rows.filter(enterprise__uscc=uscc)
    if year:
        rows = rows.filter(year=year)
    if zone_code:
        rows = rows.filter(enterprise__zone__code=zone_code)
    return rows.order_by("enterprise__uscc", "year")


ENTERPRISE_ALIAS, ZONE_ALIAS = "e", "z"


class YearRows:
    """Enterprise-years as the data dictionary has them, one row per (enterprise, year), from the fact
    tables `tables`: the union of their keys, each table's facts joined on (None where a table has no
    row for that key). One query per page, one for the count, whatever the number of tables.

    Rows are dicts: `uscc`, `year`, then `enterprise_fields` (Enterprise fields; `zone_code` for the
    zone's code; `enterprise_id`), then `fields` (canonical keys; default: every fact of `tables`).
    Of a table the scope may not read (`readable_tables`) there are no rows: its facts read as missing."""

    def __init__(self, scope: Scope, tables: Sequence[type[YearFacts]] = YEAR_TABLES, *,
                 fields: Sequence[str] | None = None, enterprise_fields: Sequence[str] = (),
                 uscc: str | None = None, year: int | None = None, zone_codes: Sequence[str] | None = None,
                 order_by_id: bool = False):
        self.tables = readable_tables(scope, tables)
        by_table = [(t, [f for f in t.fact_fields() if fields is None or f.name in fields]) for t in self.tables]
        self.facts = [(t, f) for t, fs in by_table for f in fs]
        # the facts of the tables not read: every row has their keys, read as a table without a row reads
        # (None; a NOT NULL fact its default, [] for honors)
        self.hidden = {f.name: _converter(f)(None) for t in tables if t not in self.tables for f in t.fact_fields()
                       if fields is None or f.name in fields}
        self.enterprise_fields = list(enterprise_fields)
        parts = []
        for t in self.tables:
            part = scope.filter(t.objects.all(), "enterprise__zone")
            if uscc:
                part = part.filter(enterprise__uscc=uscc)
            if year:
                part = part.filter(year=year)
            if zone_codes is not None:
                part = part.filter(enterprise__zone__code__in=list(zone_codes))
            parts.append(part.order_by().values("enterprise_id", "year"))
        self.keys_sql, self.keys_params = None, ()  # a scope that sees no zone or reads none of the tables
        if parts:
            keys = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
            try:
                self.keys_sql, self.keys_params = keys.query.get_compiler(connection=connection).as_sql()
            except EmptyResultSet:
                pass
        self.order = "k.enterprise_id, k.year" if order_by_id else f"{ENTERPRISE_ALIAS}.uscc, k.year"

    def count(self) -> int:
        if self.keys_sql is None:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.keys_sql}) k", self.keys_params)
            return cursor.fetchone()[0]

    def _sql(self) -> tuple[str, list[models.Field]]:
        q = connection.ops.quote_name
        e, z = ENTERPRISE_ALIAS, ZONE_ALIAS
        alias = {t: f"t{i}" for i, t in enumerate(self.tables)}
        emeta = Enterprise._meta
        cols = [f"{e}.{q('uscc')}", "k.year"]
        fields: list[models.Field] = [emeta.get_field("uscc"), YearFacts._meta.get_field("year")]
        for name in self.enterprise_fields:
            if name == "zone_code":
                cols.append(f"{z}.{q('code')}")
                fields.append(Zone._meta.get_field("code"))
            elif name == "enterprise_id":
                cols.append("k.enterprise_id")
                fields.append(emeta.pk)
            else:
                field = concrete_field(Enterprise, name)
                cols.append(f"{e}.{q(db_column(field))}")
                fields.append(field)
        for t, f in self.facts:
            cols.append(f"{alias[t]}.{q(db_column(f))}")
            fields.append(f)
        joins = [f"JOIN {q(emeta.db_table)} {e} ON {e}.{q('id')} = k.enterprise_id"]
        if "zone_code" in self.enterprise_fields:
            joins.append(f"JOIN {q(Zone._meta.db_table)} {z} ON {z}.{q('id')} = {e}.{q('zone_id')}")
        joins += [f"LEFT JOIN {q(t._meta.db_table)} {alias[t]} ON {alias[t]}.{q('enterprise_id')} = k.enterprise_id "
                  f"AND {alias[t]}.{q('year')} = k.year" for t in self.tables]
        sql = f"SELECT {', '.join(cols)} FROM ({self.keys_sql}) k {' '.join(joins)} ORDER BY {self.order}"
        return sql, fields

    def query(self) -> tuple[str, list, list[str], list[models.Field]] | None:
        """The SQL of all the rows, its parameters, and the names and fields of its columns (for a caller that
        reads them in bulk: the programme loader); None when there is nothing to read."""
        if self.keys_sql is None:
            return None
        sql, fields = self._sql()
        return sql, list(self.keys_params), ["uscc", "year", *self.enterprise_fields, *[f.name for _, f in self.facts]], fields

    def _fetch(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        query = self.query()
        if query is None:
            return []
        sql, params, names, fields = query
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        convert = [_converter(f) for f in fields]
        return [{n: c(v) for n, c, v in zip(names, convert, row, strict=True)} | self.hidden for row in rows]

    def __getitem__(self, page: slice) -> list[dict]:
        start = page.start or 0
        return self._fetch(None if page.stop is None else max(page.stop - start, 0), start)

    def __iter__(self) -> Iterator[dict]:
        return iter(self._fetch())


def _converter(field: models.Field):
    """Plain SQL returns what the driver returns: JSON as text, booleans as 0/1 and dates as text on SQLite.
    A NOT NULL fact of a table without a row for the key reads as the field's default ([] for honors)."""
    if isinstance(field, models.JSONField):
        column = field.cached_col  # what the value is read from: the column itself (not a key transform)

        def convert(v):
            return field.from_db_value(v, column, connection)
    elif isinstance(field, models.BooleanField):
        def convert(v):
            return None if v is None else bool(v)
    elif isinstance(field, models.DateField):
        convert = field.to_python
    else:
        def convert(v):
            return v
    if not field.null and field.has_default():
        return lambda v: field.get_default() if v is None else convert(v)
    return convert


def enterprise_year_list(scope: Scope, *, uscc: str | None = None, year: int | None = None,
                         zone_code: str | None = None) -> YearRows:
    """The combined enterprise-years (every fact table) that `scope` sees, by (uscc, year)."""
    return YearRows(scope, uscc=uscc, year=year, zone_codes=[zone_code] if zone_code else None)


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


def zone_section(scope: Scope, zone: Zone) -> ZoneSection:
    """The enterprise panel of the zone page (extension point zones.page_sections)."""
    return ZoneSection("enterprises/_zone_section.html", enterprise_counts(scope, zone.code))


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
    # the honours the 梯度培育 rule sets test (has(honors, …)), so that no list shows a code
    "ip_demo": "知识产权示范企业", "single_champion": "制造业单项冠军",
    "niche_market_leading": "细分市场占有率较为靠前", "joint_rd_institution": "与高校或科研院所共建研发机构",
    "chain_key_link": "产业链关键环节企业", "serves_chain_leader": "为链主企业配套",
    "six_basics": "工业“六基”领域", "time_honored_brand": "中华老字号", "cyber_power_field": "网络强国重点领域",
    "strong_nation_key_field": "制造强国重点领域", "info_system_core_business": "核心业务采用信息系统",
    "intl_product_cert": "产品获国际认证", "mgmt_system_cert": "通过管理体系认证", "own_brand": "拥有自主品牌", "domestic_top3": "国内细分市场排名前三",
    "sci_award_national_top3": "国家级科技奖励（排名前三）", "sci_award_national_top5": "国家级科技奖励（排名前五）",
    "sci_award_provincial_top3": "省级科技奖励（排名前三）",
}


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
class YearSection:
    """One fact table on the enterprise page: its Chinese title and one row per fact."""

    title: str
    rows: tuple[YearRow, ...]


@dataclass(frozen=True)
class EnterpriseProfile:
    enterprise: Enterprise
    tags: tuple[TagStatus, ...]
    years: tuple[int, ...]
    sections: tuple[YearSection, ...]  # one per fact table that has data
    extra: tuple[ZoneSection, ...] = ()  # panels of other domains (PAGE_SECTIONS)


def _display(row: YearFacts | None, field: models.Field) -> str | None:
    value = getattr(row, field.name) if row is not None else None
    if value is None or value == "" or value == []:
        return None
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
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
    """The enterprise page: its tags with their status today, and every fact table's facts formatted per year."""
    enterprise = enterprise_get(scope, uscc)
    facts = {t: {r.year: r for r in year_facts(scope, t, uscc=enterprise.uscc)} for t in readable_tables(scope)}
    years = sorted({y for rows in facts.values() for y in rows})
    today = today or date.today()
    tags = tuple(TagStatus(t, tag_status(t, today)) for t in enterprise.tags.order_by("tag", "valid_from"))
    sections = tuple(
        YearSection(str(t._meta.verbose_name),
                    tuple(YearRow(str(f.verbose_name), str(f.help_text or ""), tuple(_display(rows.get(y), f) for y in years))
                          for f in t.fact_fields()))
        for t, rows in facts.items() if rows)
    extra = tuple(section(scope, enterprise) for section in provided(PAGE_SECTIONS))
    return EnterpriseProfile(enterprise, tags, tuple(years), sections, extra)


@dataclass(frozen=True)
class TableAccess:
    title: str  # the fact table's Chinese name
    readable: bool


def table_access(scope: Scope) -> list[TableAccess]:
    """Which enterprise fact tables the user reads, for the account page."""
    return [TableAccess(str(t._meta.verbose_name), scope.reads_table(t.key())) for t in YEAR_TABLES]
