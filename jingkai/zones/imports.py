"""The zone import kind: indicator values by zone and period (`zone-indicators`), with the checks of
the indicator catalogue (frequency, bounds, unit) and of cumulative monthly values; what an export reads.
And the column types of zone codes and indicator codes, which other apps' kinds use too (ZONE_CODE)."""

from __future__ import annotations

import polars as pl
from django.utils import timezone

from jingkai.accounts.scope import Scope
from jingkai.intake.planning import Plan, PlanContext, export_frame
from jingkai.intake.specs import FRACTION_UNITS, Column, ColumnType, Kind, Parsed, Wide, column_from_field
from jingkai.intake.validation import ROW, Checker, cat, fmt
from jingkai.zones.locks import locked_message, locked_values
from jingkai.zones.models import Indicator, IndicatorValue, Zone
from jingkai.zones.periods import is_open, open_period_message, parse_period


def _parse_zone_codes(cells: pl.Series, zones: dict[str, int]) -> Parsed:
    value = cells.str.normalize("NFKC").str.replace_all(r"\s", "").str.to_uppercase()  # ＧＳ－ＬＺ is GS-LZ
    bad = ~value.is_in(list(zones))
    return value.set(bad.fill_null(False), None), bad, "园区代码不存在"


def _parse_indicator_keys(cells: pl.Series, indicators: dict[str, Indicator]) -> Parsed:
    bad = ~cells.is_in(list(indicators))
    return cells.set(bad.fill_null(False), None), bad, "指标代码不存在（见模板“代码表”）"


FRACTION_LABEL = "比例（0—1）"
ZONE_CODE = ColumnType(
    "zone", "园区代码（下拉选择）", _parse_zone_codes,
    load=lambda: dict(Zone.objects.values_list("code", "id")),  # zone code → id
    choices=lambda: list(Zone.objects.order_by("code").values_list("code", "name")))
INDICATOR_KEY = ColumnType(
    "indicator", "指标代码（下拉选择）", _parse_indicator_keys,
    load=lambda: {i.key: i for i in Indicator.objects.all()},  # indicator key → Indicator (the plan's checks)
    choices=lambda: [(k, f"{n}（{unit_label(u)}）") for k, n, u in Indicator.objects.values_list("key", "name", "unit")])


def unit_label(unit: str) -> str:
    """The unit as a person reads it: 比例（0—1） for the catalogue's fraction."""
    return FRACTION_LABEL if unit == "fraction" else unit

COLUMNS = (
    Column("zone_code", "园区代码", type=ZONE_CODE, required=True, field="zone_id"),
    Column("period", "期间", type="period", required=True, field="period"),
    Column("indicator", "指标代码", type=INDICATOR_KEY, required=True, field="indicator_id"),
    Column("value", "数值", type="float", required=True, field="value"),
    Column("unit", "单位", type="str", max_length=30),
    column_from_field(IndicatorValue._meta.get_field("base_revised"), unit=""),
    column_from_field(IndicatorValue._meta.get_field("source")),
    column_from_field(IndicatorValue._meta.get_field("note")),
)


def _plan_zone_values(ctx: PlanContext) -> list[Plan]:
    raw, typed, check, zones, source = ctx.raw, ctx.typed, ctx.check, ctx.zones, ctx.source
    indicators: dict[str, Indicator] = ctx.known[INDICATOR_KEY.name]
    ctx.scope_checks(typed["zone_code"], "zone_code")
    info = pl.DataFrame(
        [(k, i.id, i.unit, i.frequency, i.cumulative, i.lower_bound, i.upper_bound) for k, i in indicators.items()],
        schema={"indicator": pl.Utf8, "indicator_id": pl.Int64, "__unit": pl.Utf8, "__freq": pl.Utf8,
                "__cum": pl.Boolean, "__lo": pl.Float64, "__hi": pl.Float64}, orient="row")
    t = typed.join(info, on="indicator", how="left", maintain_order="left")
    freq = pl.col("period").str.len_chars()  # 4 = year, 7 = YYYY-Qn or YYYY-MM
    # A quarterly indicator (地区生产总值) is a cumulative 一季度/上半年/前三季度/全年 stored at the quarter's
    # last month, like the monthly cumulatives it is reported with (or YYYY for 全年): not at YYYY-Qn, and
    # not in the other months.
    quarter_end = pl.col("period").str.contains(r"^\d{4}-(03|06|09|12)$")
    wrong = (((pl.col("__freq") == "year") & (freq != 4))
             | ((pl.col("__freq") == "quarter") & (freq == 7) & ~quarter_end))
    mask = t.select(wrong.fill_null(False)).to_series()
    names = {"year": "年度", "quarter": "季度", "month": "月度"}
    check.flag(raw, mask, "period", cat("指标 ", t["indicator"], " 为", t["__freq"].replace_strict(
        names, default=""), "指标，期间应为", t["__freq"].replace_strict(
        {"year": " YYYY", "quarter": "季末月份 YYYY-03、YYYY-06、YYYY-09、YYYY-12（一季度、上半年、前三季度、全年累计）"
                                     "或 YYYY"}, default="")))
    t = t.with_columns(zone_id=pl.col("zone_code").replace_strict(zones, default=None, return_dtype=pl.Int64))
    _open_period_checks(raw, t, check)
    _locked_checks(raw, t, check, indicators)
    v = t["value"]
    lo_bad = v.is_not_null() & t["__lo"].is_not_null() & (v < t["__lo"])
    hi_bad = v.is_not_null() & t["__hi"].is_not_null() & (v > t["__hi"])
    check.flag(raw, lo_bad, "value", cat("不得小于 ", fmt(t["__lo"]), "（指标 ", t["indicator"], " 的下限）"))
    check.flag(raw, hi_bad, "value", cat("不得大于 ", fmt(t["__hi"]), "（指标 ", t["indicator"], " 的上限）"))
    pct = raw["value"].str.ends_with("%").fill_null(False) & (t["__unit"] != "fraction").fill_null(False)
    check.flag(raw, pct, "value", "该指标不是比例，不能使用百分号")
    if "unit" in typed.columns:
        same = (typed["unit"] == t["__unit"]) | (typed["unit"].is_in(list(FRACTION_UNITS)) & t["__unit"].is_in(
            list(FRACTION_UNITS)))
        bad_unit = typed["unit"].is_not_null() & t["__unit"].is_not_null() & ~same
        check.flag(raw, bad_unit, "unit", cat("单位应为“", t["__unit"].replace("fraction", FRACTION_LABEL), "”"))
    _cumulative_checks(raw, t, check)
    records = t
    if "source" not in records.columns:
        records = records.with_columns(source=pl.lit(source))
    records = records.with_columns(pl.col("source").fill_null(""))
    if "note" in records.columns:
        records = records.with_columns(pl.col("note").fill_null(""))
    fields = ["value", "source"] + [c for c in ("base_revised", "note") if c in records.columns]
    keys = t.select(pl.concat_str("zone_code", "period", "indicator", separator="/")).to_series().to_list()
    return [Plan(IndicatorValue, records.select("zone_id", "period", "indicator_id", *fields),
                 ("zone_id", "period", "indicator_id"), tuple(fields), keys)]


def _open_period_checks(raw: pl.DataFrame, t: pl.DataFrame, check: Checker) -> None:
    """A period that has not ended (the current month, a future one) cannot be reported yet."""
    today = timezone.localdate()
    messages = {}
    for text in t["period"].drop_nulls().unique().to_list():
        period = parse_period(text)
        if period is not None and is_open(period, today):
            messages[text] = open_period_message(period, today)
    if messages:
        message = t["period"].replace_strict(messages, default=None, return_dtype=pl.Utf8)
        check.flag(raw, message.is_not_null(), "period", message)


def _locked_checks(raw: pl.DataFrame, t: pl.DataFrame, check: Checker, indicators: dict[str, Indicator]) -> None:
    """A value the province has approved (`zones.locked_periods`) may not change: a row that would create
    or change it (its value or its 上年同期调整值) is refused; a row repeating the stored figures (a re-import,
    an export imported back) passes."""
    keys = ["zone_id", "period", "indicator_id"]
    rows = t.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys) & pl.col("value").is_not_null())
    if rows.is_empty():
        return
    zone_ids, periods = rows["zone_id"].unique().to_list(), rows["period"].unique().to_list()
    locked = locked_values(zone_ids, periods)
    if not locked:
        return
    schema = {"zone_id": pl.Int64, "period": pl.Utf8, "indicator_id": pl.Int64}
    hit = rows.join(pl.DataFrame(list(locked), schema=schema, orient="row"), on=keys, how="semi")
    if hit.is_empty():
        return
    stored = pl.DataFrame(list(IndicatorValue.objects.filter(
        zone_id__in=hit["zone_id"].unique().to_list(), period__in=hit["period"].unique().to_list(),
        indicator_id__in=hit["indicator_id"].unique().to_list()).values_list(*keys, "value", "base_revised")),
        schema=schema | {"__stored": pl.Float64, "__stored_base": pl.Float64}, orient="row")
    changed = pl.col("__stored").is_null() | (pl.col("value") != pl.col("__stored"))
    if "base_revised" in hit.columns:
        changed = changed | pl.col("base_revised").ne_missing(pl.col("__stored_base"))
    hit = hit.join(stored, on=keys, how="left").filter(changed)
    if hit.is_empty():
        return
    zone_names = dict(Zone.objects.filter(id__in=hit["zone_id"].unique().to_list()).values_list("id", "name"))
    names = {i.id: i.name for i in indicators.values()}
    messages = [locked_message(zone_names.get(z, ""), _label(p), names.get(i, ""))
                for z, p, i in hit.select(keys).iter_rows()]
    bad = pl.DataFrame({ROW: hit[ROW], "__msg": messages}, schema={ROW: raw.schema[ROW], "__msg": pl.Utf8})
    check.flag(raw.join(bad, on=ROW, how="inner"), pl.lit(True), "value", pl.col("__msg"))


def _label(text: str) -> str:
    period = parse_period(text)
    return period.label() if period else text


def _cumulative_checks(raw: pl.DataFrame, t: pl.DataFrame, check: Checker) -> None:
    """A flow reported cumulative from January may not fall from one month to a later one of the same
    year, checked over this file's values and those already stored (the file's win)."""
    monthly = t.filter(pl.col("__cum").fill_null(False) & pl.col("period").str.contains(r"^\d{4}-\d{2}$")
                       & pl.col("value").is_not_null() & pl.col("zone_id").is_not_null())
    if monthly.is_empty():
        return
    file_rows = monthly.select(ROW, "zone_id", "indicator_id", "period", "value")
    years = sorted({p[:4] for p in file_rows["period"].to_list()})
    periods = [f"{y}-{m:02d}" for y in years for m in range(1, 13)]
    stored = pl.DataFrame(
        list(IndicatorValue.objects.filter(
            zone_id__in=file_rows["zone_id"].unique().to_list(),
            indicator_id__in=file_rows["indicator_id"].unique().to_list(), period__in=periods,
        ).values_list("zone_id", "indicator_id", "period", "value")),
        schema={"zone_id": pl.Int64, "indicator_id": pl.Int64, "period": pl.Utf8, "value": pl.Float64}, orient="row")
    stored = stored.join(file_rows, on=["zone_id", "indicator_id", "period"], how="anti")
    allv = pl.concat([file_rows, stored.with_columns(pl.lit(None, pl.Int64).alias(ROW)).select(file_rows.columns)])
    group = ["zone_id", "indicator_id", "__year"]
    allv = allv.with_columns(__year=pl.col("period").str.slice(0, 4)).sort([*group, "period"]).with_columns(
        __prev=pl.col("value").shift(1).over(group), __prev_p=pl.col("period").shift(1).over(group),
        __prev_row=pl.col(ROW).shift(1).over(group), __next=pl.col("value").shift(-1).over(group),
        __next_p=pl.col("period").shift(-1).over(group), __next_row=pl.col(ROW).shift(-1).over(group),
    ).filter(pl.col(ROW).is_not_null())
    where_prev = pl.when(pl.col("__prev_row").is_null()).then(pl.lit("已有数据")).otherwise(
        pl.concat_str(pl.lit("本文件第 "), pl.col("__prev_row").cast(pl.Utf8), pl.lit(" 行")))
    below = allv.filter(pl.col("__prev").is_not_null() & (pl.col("value") < pl.col("__prev"))).select(
        ROW, __msg=pl.concat_str(pl.lit("按年累计值不得低于 "), pl.col("__prev_p"), pl.lit(" 的累计值 "),
                                 pl.col("__prev").map_elements(lambda x: f"{x:g}", return_dtype=pl.Utf8),
                                 pl.lit("（"), where_prev, pl.lit("）")))
    above = allv.filter(pl.col("__next").is_not_null() & pl.col("__next_row").is_null()
                        & (pl.col("value") > pl.col("__next"))).select(
        ROW, __msg=pl.concat_str(pl.lit("按年累计值不得高于 "), pl.col("__next_p"), pl.lit(" 已有的累计值 "),
                                 pl.col("__next").map_elements(lambda x: f"{x:g}", return_dtype=pl.Utf8)))
    for bad in (below, above):
        if not bad.is_empty():
            marked = raw.join(bad, on=ROW, how="inner")
            check.flag(marked, pl.lit(True), "value", pl.col("__msg"))


def _export_values(scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    qs = scope.filter(IndicatorValue.objects.all())
    if zone_code:
        qs = qs.filter(zone__code=zone_code)
    if period:
        if parse_period(period) is None:
            raise ValueError("期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM")
        qs = qs.filter(period=str(parse_period(period)))
    paths = {"zone_code": "zone__code", "period": "period", "indicator": "indicator__key", "value": "value",
             "unit": "indicator__unit", "base_revised": "base_revised", "source": "source", "note": "note"}
    rows = qs.order_by("zone__code", "period", "indicator__id").values_list(*[paths[c.key] for c in COLUMNS])
    return export_frame(COLUMNS, list(rows)).with_columns(pl.col("unit").replace("fraction", FRACTION_LABEL))


def _monthly_indicators() -> list[tuple[str, str, str]]:
    """The columns of the 月报表: the catalogue's monthly indicators, in its order."""
    rows = Indicator.objects.filter(frequency=Indicator.Frequency.MONTH).values_list("key", "name", "unit")
    return [(k, n, unit_label(u)) for k, n, u in rows]


def _indicator_units() -> dict[str, str]:
    """Every indicator's unit as its value is written ("" for a fraction): 123万元 in the long format's 数值."""
    return {k: "" if u == "fraction" else u for k, u in Indicator.objects.values_list("key", "unit")}


ZONE_INDICATORS = Kind("zone-indicators", "园区指标值", COLUMNS, ("zone_code", "period", "indicator"),
                       _plan_zone_values, _export_values, zone=ZONE_CODE,
                       wide=Wide("月报表", "indicator", "value", _monthly_indicators, keep=("source", "note"),
                                 units=_indicator_units))
KINDS = (ZONE_INDICATORS,)
