"""Data intake: templates, validated all-or-nothing imports, exports.

An import reads every cell as text, validates everything (validation.py, vectorised with polars)
and writes nothing unless every cell is valid. Writes run in one transaction as bulk executemany
statements, with one audit entry per created or updated row (before/after) and one summary entry,
all carrying the file's sha256 as their batch. Importing the same file again changes nothing.
"""

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import fastexcel
import polars as pl
from django.db import connection, models, transaction
from django.utils import timezone

from jingkai.accounts.scope import PROVINCE, Scope
from jingkai.audit.services import record
from jingkai.enterprises.models import Enterprise, EnterpriseYear
from jingkai.intake import excel
from jingkai.intake.specs import ENTERPRISE_YEARS, ENTERPRISES, ZONE_INDICATORS, Kind, get_kind
from jingkai.intake.validation import (
    ROW,
    Checker,
    cat,
    duplicates,
    fmt,
    header_problems,
    normalise,
    parse_columns,
)
from jingkai.zones.models import Indicator, IndicatorValue, Zone
from jingkai.zones.periods import parse_period

CHUNK = 5000
DATA_SHEET = "数据"


@dataclass
class CellError:
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行 {self.column}：“{self.value}” {self.message}"


@dataclass
class ImportResult:
    kind: str
    ok: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    file_hash: str = ""
    report_path: Path | None = None

    def summary(self) -> str:
        title = get_kind(self.kind).title
        if self.ok:
            return f"{title}导入成功：新增 {self.created} / 更新 {self.updated} / 未变 {self.unchanged}"
        report = f"，错误报告：{self.report_path}" if self.report_path else ""
        return f"{title}导入失败：发现 {len(self.errors)} 处问题，未写入任何数据{report}"


@dataclass
class Table:
    """Cells as text, with the row number the user sees in the file."""

    raw: pl.DataFrame
    headers: list[str]
    header_row: int


# ---------------------------------------------------------------- reading

def read_table(path: Path, kind: Kind) -> Table:
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")  # CSV saved by Excel on a Chinese Windows
        df = pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=True)
        return _table(df, list(df.columns), header_row=1)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        reader = fastexcel.read_excel(str(path))
        sheet = DATA_SHEET if DATA_SHEET in reader.sheet_names else reader.sheet_names[0]
        df = reader.load_sheet(sheet, header_row=None, dtypes="string").to_polars()
        rows = [[str(v).strip() if v is not None else "" for v in r] for r in df.head(2).rows()]
        labels = {c.header: c.key for c in kind.columns} | {c.label: c.key for c in kind.columns}
        if len(rows) > 1 and _looks_like_keys(rows[1], kind):  # template: labels, then the key row
            headers, skip = rows[1], 2
        elif rows and _looks_like_keys(rows[0], kind):
            headers, skip = rows[0], 1
        else:  # a sheet with Chinese headers only: exact label match, nothing guessed
            headers, skip = [labels.get(h, h) for h in (rows[0] if rows else [])], 1
        body = df.slice(skip)
        keep = [i for i, h in enumerate(headers) if h]
        body = body.select([body.columns[i] for i in keep])
        body.columns = [headers[i] for i in keep] if len(set(headers[i] for i in keep)) == len(keep) else [
            f"{headers[i]}#{n}" for n, i in enumerate(keep)]
        return _table(body, [headers[i] for i in keep], header_row=skip)
    raise ValueError(f"不支持的文件类型“{path.suffix}”：请使用 .xlsx（填好的模板）或 .csv")


def _looks_like_keys(row: list[str], kind: Kind) -> bool:
    filled = [v for v in row if v]
    return bool(filled) and sum(v in kind.by_key for v in filled) >= max(1, len(filled) // 2)


def _table(df: pl.DataFrame, headers: list[str], header_row: int) -> Table:
    raw = df.with_columns(pl.all().cast(pl.Utf8)).with_row_index(ROW, offset=header_row + 1)
    raw = raw.with_columns(pl.col(ROW).cast(pl.Int64))
    cells = [c for c in raw.columns if c != ROW]
    if cells:  # drop rows with no content at all (Excel keeps formatted empty rows)
        raw = raw.filter(pl.any_horizontal([pl.col(c).str.strip_chars().str.len_chars() > 0 for c in cells]))
    return Table(raw, headers, header_row)


def rows_table(rows: list[dict]) -> Table:
    """Rows given as dicts (web form): row 1 is the first dict."""
    headers: list[str] = []
    for r in rows:
        headers += [k for k in r if k not in headers]
    data = {h: [_as_text(r.get(h)) for r in rows] for h in headers}
    df = pl.DataFrame(data, schema=dict.fromkeys(headers, pl.Utf8))
    return _table(df, headers, header_row=0)


def _as_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return ";".join(map(str, v))
    return str(v)


# ---------------------------------------------------------------- validation

@dataclass
class Plan:
    """A validated import: what to write."""

    kind: Kind
    typed: pl.DataFrame
    records: pl.DataFrame  # db field names
    key_fields: tuple[str, ...]
    write_fields: tuple[str, ...]
    object_keys: list[str]


def _writable_zones(user, zones: dict[str, int]) -> set[int]:
    scope: Scope = user.scope if user is not None else PROVINCE
    return {zid for zid in zones.values() if scope.can_write_zone(zid)}


def validate(kind: Kind, table: Table, user=None, zone_code: str | None = None,
             source: str = "文件导入") -> tuple[Plan | None, list[CellError]]:
    zones = dict(Zone.objects.values_list("code", "id"))
    indicators = {i.key: i for i in Indicator.objects.all()}
    check = Checker(kind)
    zone_code = zone_code.strip().upper() if zone_code else None
    if zone_code and zone_code not in zones:
        check.add(table.header_row, "--zone", zone_code, "园区代码不存在")
    fixed = {"zone_code"} if zone_code and "zone_code" in kind.by_key else set()
    for column, message in header_problems(table.headers, kind, fixed):
        check.add(table.header_row, column, "", message)
    if check.frames:
        return None, _cell_errors(check)
    raw = normalise(table.raw)
    if fixed:
        filled = pl.coalesce(pl.col("zone_code"), pl.lit(zone_code)) if "zone_code" in raw.columns else pl.lit(zone_code)
        raw = raw.with_columns(filled.alias("zone_code"))
    typed = parse_columns(raw, kind, check, {"zones": zones, "indicators": indicators})
    duplicates(raw, kind, typed, check)
    writable = _writable_zones(user, zones) if user is not None else None
    build = {"enterprises": _enterprises, "enterprise-years": _enterprise_years, "zone-indicators": _zone_values}
    plan = build[kind.name](
        raw, typed, check, zones, indicators, writable, zone_code, source)
    errors = _cell_errors(check)
    return (None if errors else plan), errors


def _cell_errors(check: Checker) -> list[CellError]:
    return [CellError(r["row"], r["column"], r["value"] or "", r["message"]) for r in check.errors().iter_rows(named=True)]


def _scope_checks(raw, typed, check, zones, writable, zone_code, zone_col: str, key: str) -> None:
    """`zone_col` in typed holds the zone code the row writes to."""
    codes = typed[zone_col]
    if zone_code:
        check.flag(raw, codes.is_not_null() & (codes != zone_code), key,
                   cat(f"本次导入限定园区 {zone_code}，该行属于园区 ", codes), value=codes)
    if writable is not None:
        ids = codes.replace_strict(zones, default=None, return_dtype=pl.Int64)
        denied = ids.is_not_null() & ~ids.is_in(list(writable))
        check.flag(raw, denied, key, cat("无权导入园区 ", codes, " 的数据"), value=codes)


def _existing_enterprises(usccs: Iterable[str]) -> dict[str, tuple[int, str]]:
    usccs = list(usccs)
    found = {}
    for i in range(0, len(usccs), CHUNK):
        for uscc, eid, zone in Enterprise.objects.filter(uscc__in=usccs[i:i + CHUNK]).values_list(
                "uscc", "id", "zone__code"):
            found[uscc] = (eid, zone)
    return found


def _field_names(kind: Kind, typed: pl.DataFrame, exclude: set[str]) -> list[str]:
    return [c.field for c in kind.columns if c.field and c.key in typed.columns and c.key not in exclude]


def _enterprises(raw, typed, check, zones, indicators, writable, zone_code, source) -> Plan:
    _scope_checks(raw, typed, check, zones, writable, zone_code, "zone_code", "zone_code")
    existing = _existing_enterprises(typed["uscc"].drop_nulls().unique())
    if writable is not None and existing:
        old_zone = typed["uscc"].replace_strict({u: z for u, (_, z) in existing.items()}, default=None,
                                                 return_dtype=pl.Utf8)
        denied = old_zone.is_not_null() & ~old_zone.replace_strict(zones, default=None, return_dtype=pl.Int64).is_in(
            list(writable))
        check.flag(raw, denied, "uscc", cat("该企业已登记在园区 ", old_zone, "，无权修改"))
    records = typed.with_columns(zone_id=pl.col("zone_code").replace_strict(zones, default=None, return_dtype=pl.Int64))
    fields = _field_names(ENTERPRISES, typed, {"uscc"})
    return Plan(ENTERPRISES, typed, records.select("uscc", *fields), ("uscc",), tuple(fields),
                typed["uscc"].to_list())


def _enterprise_years(raw, typed, check, zones, indicators, writable, zone_code, source) -> Plan:
    existing = _existing_enterprises(typed["uscc"].drop_nulls().unique())
    ids = typed["uscc"].replace_strict({u: e for u, (e, _) in existing.items()}, default=None, return_dtype=pl.Int64)
    zone_of = typed["uscc"].replace_strict({u: z for u, (_, z) in existing.items()}, default=None,
                                           return_dtype=pl.Utf8)
    check.flag(raw, typed["uscc"].is_not_null() & ids.is_null() & raw["uscc"].is_not_null(), "uscc",
               "企业不存在：请先导入企业名录（enterprises）")
    typed = typed.with_columns(__zone=zone_of, enterprise_id=ids)
    _scope_checks(raw, typed, check, zones, writable, zone_code, "__zone", "uscc")
    fields = _field_names(ENTERPRISE_YEARS, typed, {"uscc", "year"})
    keys = typed.select(pl.concat_str(pl.col("uscc"), pl.col("year").cast(pl.Utf8), separator="/")).to_series()
    return Plan(ENTERPRISE_YEARS, typed, typed.select("enterprise_id", "year", *fields),
                ("enterprise_id", "year"), tuple(fields), keys.to_list())


def _zone_values(raw, typed, check, zones, indicators, writable, zone_code, source) -> Plan:
    _scope_checks(raw, typed, check, zones, writable, zone_code, "zone_code", "zone_code")
    info = pl.DataFrame(
        [(k, i.id, i.unit, i.frequency, i.cumulative, i.lower_bound, i.upper_bound) for k, i in indicators.items()],
        schema={"indicator": pl.Utf8, "indicator_id": pl.Int64, "__unit": pl.Utf8, "__freq": pl.Utf8,
                "__cum": pl.Boolean, "__lo": pl.Float64, "__hi": pl.Float64}, orient="row")
    t = typed.join(info, on="indicator", how="left", maintain_order="left")
    freq = pl.col("period").str.len_chars()  # 4 = year, 7 = YYYY-Qn or YYYY-MM
    quarterly = pl.col("period").str.contains("Q")
    wrong = (((pl.col("__freq") == "year") & (freq != 4)) | ((pl.col("__freq") == "quarter") & (freq == 7) & ~quarterly))
    mask = t.select(wrong.fill_null(False)).to_series()
    names = {"year": "年度", "quarter": "季度", "month": "月度"}
    check.flag(raw, mask, "period", cat("指标 ", t["indicator"], " 为", t["__freq"].replace_strict(
        names, default=""), "指标，期间应为", t["__freq"].replace_strict(
        {"year": " YYYY", "quarter": " YYYY-Qn 或 YYYY"}, default="")))
    v = t["value"]
    lo_bad = v.is_not_null() & t["__lo"].is_not_null() & (v < t["__lo"])
    hi_bad = v.is_not_null() & t["__hi"].is_not_null() & (v > t["__hi"])
    check.flag(raw, lo_bad, "value", cat("不得小于 ", fmt(t["__lo"]), "（指标 ", t["indicator"], " 的下限）"))
    check.flag(raw, hi_bad, "value", cat("不得大于 ", fmt(t["__hi"]), "（指标 ", t["indicator"], " 的上限）"))
    pct = raw["value"].str.ends_with("%").fill_null(False) & (t["__unit"] != "fraction").fill_null(False)
    check.flag(raw, pct, "value", "该指标不是比例，不能使用百分号")
    if "unit" in typed.columns:
        bad_unit = typed["unit"].is_not_null() & t["__unit"].is_not_null() & (typed["unit"] != t["__unit"])
        check.flag(raw, bad_unit, "unit", cat("单位应为“", t["__unit"], "”"))
    _cumulative_checks(raw, t.with_columns(zone_id=pl.col("zone_code").replace_strict(
        zones, default=None, return_dtype=pl.Int64)), check)
    records = t.with_columns(zone_id=pl.col("zone_code").replace_strict(zones, default=None, return_dtype=pl.Int64))
    if "source" not in records.columns:
        records = records.with_columns(source=pl.lit(source))
    records = records.with_columns(pl.col("source").fill_null(""))
    if "note" in records.columns:
        records = records.with_columns(pl.col("note").fill_null(""))
    fields = ["value", "source"] + (["note"] if "note" in records.columns else [])
    keys = t.select(pl.concat_str("zone_code", "period", "indicator", separator="/")).to_series().to_list()
    return Plan(ZONE_INDICATORS, typed, records.select("zone_id", "period", "indicator_id", *fields),
                ("zone_id", "period", "indicator_id"), tuple(fields), keys)


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


# ---------------------------------------------------------------- writing

def _db_frame(plan: Plan) -> tuple[pl.DataFrame, dict[str, str]]:
    """The records with every value in the form both drivers take and compare: dates and JSON as
    text; empty cells of NOT NULL columns replaced by the model's default."""
    fields = {f.attname: f for f in plan.kind.model._meta.concrete_fields}
    kinds, exprs = {}, []
    for name in plan.write_fields:
        f = fields[name]
        col = pl.col(name)
        if isinstance(f, models.JSONField):
            kinds[name] = "json"
            default = None if f.null else json.dumps(f.get_default())
            col = col.map_elements(_list_json, return_dtype=pl.Utf8, skip_nulls=True)
            col = col.fill_null(pl.lit(default, pl.Utf8)) if default is not None else col
        elif isinstance(f, models.DateField):
            kinds[name] = "date"
            col = col.cast(pl.Utf8)
        elif not f.null and f.get_default() is not None:
            col = col.fill_null(f.get_default())
        exprs.append(col.alias(name))
    return plan.records.with_columns(exprs), kinds


def _load_existing(plan: Plan, frame: pl.DataFrame, kinds: dict[str, str]) -> pl.DataFrame:
    """Stored rows with the same keys, read with one plain SELECT per chunk (no ORM converters)."""
    model = plan.kind.model
    first = plan.key_fields[0]
    values = frame[first].drop_nulls().unique().sort().to_list()
    cols = ("id", *plan.key_fields, *plan.write_fields)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for i in range(0, len(values), CHUNK):
            sql, params = model.objects.filter(**{f"{first}__in": values[i:i + CHUNK]}).values_list(
                *cols).query.sql_with_params()
            cursor.execute(sql, params)
            rows += cursor.fetchall()
    schema = {"__id": pl.Int64} | {c: frame.schema[c] for c in cols[1:]}
    schema |= dict.fromkeys(kinds, pl.Utf8)
    raw_schema = {k: (pl.Object if kinds.get(k) else (pl.Int64 if v == pl.Boolean else v)) for k, v in schema.items()}
    old = pl.DataFrame(rows, schema=raw_schema, orient="row")
    fixes = []
    for name, kind in kinds.items():
        fn = _redump if kind == "json" else _iso  # text that compares equal whatever wrote it
        fixes.append(pl.col(name).map_elements(fn, return_dtype=pl.Utf8, skip_nulls=True))
    bools = [pl.col(c).cast(pl.Boolean) for c, t in schema.items() if t == pl.Boolean]
    return old.with_columns(fixes + bools) if (fixes or bools) else old


def _write(plan: Plan, user, batch: str, note: str) -> tuple[int, int, int]:
    meta = plan.kind.model._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    frame, kinds = _db_frame(plan)
    frame = frame.with_columns(__key=pl.Series(plan.object_keys, dtype=pl.Utf8))
    old = _load_existing(plan, frame, kinds)
    w = list(plan.write_fields)
    joined = frame.join(old.rename({c: f"{c}__old" for c in w}), on=list(plan.key_fields), how="left",
                        maintain_order="left", nulls_equal=True)
    changed = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}__old")) for c in w]) if w else pl.lit(False)
    joined = joined.with_columns(__new=pl.col("__id").is_null(), __changed=changed)
    creates = joined.filter(pl.col("__new"))
    updates = joined.filter(~pl.col("__new") & pl.col("__changed"))
    unchanged = joined.height - creates.height - updates.height
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    auto_now = [f.attname for f in meta.concrete_fields if getattr(f, "auto_now", False) or getattr(
        f, "auto_now_add", False)]
    q = connection.ops.quote_name
    table = q(meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if creates.height:
            cols = [f.attname for f in meta.concrete_fields if not f.primary_key and f.attname not in auto_now]
            missing = [c for c in cols if c not in creates.columns]
            data = creates.with_columns(
                [pl.lit(_default_text(fields[c]), dtype=pl.Utf8 if _default_text(fields[c]) is not None else None)
                 .alias(c) for c in missing])
            sql = (f"INSERT INTO {table} ({', '.join(q(fields[c].column) for c in cols + auto_now)}) "
                   f"VALUES ({', '.join(['%s'] * (len(cols) + len(auto_now)))})")
            params = [(*r, *[now] * len(auto_now)) for r in data.select(cols).iter_rows()]
            for i in range(0, len(params), CHUNK):
                cursor.executemany(sql, params[i:i + CHUNK])
        if updates.height:
            stamp = [c for c in auto_now if getattr(fields[c], "auto_now", False)]
            sets = ", ".join(f"{q(fields[c].column)} = %s" for c in w + stamp)
            sql = f"UPDATE {table} SET {sets} WHERE {q(meta.pk.column)} = %s"
            params = [(*r[:-1], *[now] * len(stamp), r[-1]) for r in updates.select(*w, "__id").iter_rows()]
            for i in range(0, len(params), CHUNK):
                cursor.executemany(sql, params[i:i + CHUNK])
        entries = []
        if creates.height:
            after = creates.select(pl.struct(w).struct.json_encode()).to_series().to_list() if w else [None] * creates.height
            entries += [("create", k, None, a) for k, a in zip(creates["__key"].to_list(), after, strict=True)]
        for r in updates.select("__key", *w, *[f"{c}__old" for c in w]).iter_rows(named=True):
            diff = [c for c in w if r[c] != r[f"{c}__old"]]
            entries.append(("update", r["__key"], json.dumps({c: _audit_value(r[f"{c}__old"], kinds.get(c)) for c in diff},
                                                               ensure_ascii=False),
                            json.dumps({c: _audit_value(r[c], kinds.get(c)) for c in diff}, ensure_ascii=False)))
        _audit_bulk(cursor, user, meta.label, entries, batch, note)
        record(user, "import", meta.label, plan.kind.name, after={
            "created": creates.height, "updated": updates.height, "unchanged": unchanged}, batch=batch, note=note)
    return creates.height, updates.height, unchanged


def _list_json(v) -> str:
    return json.dumps(v.to_list() if isinstance(v, pl.Series) else v)


def _redump(v) -> str:
    return json.dumps(json.loads(v) if isinstance(v, str) else v)


def _iso(v) -> str:
    return v if isinstance(v, str) else v.isoformat()


def _default_text(f: models.Field):
    if f.null:
        return None
    d = f.get_default()
    return json.dumps(d) if isinstance(f, models.JSONField) else d


def _audit_value(v, kind):
    return json.loads(v) if kind == "json" and isinstance(v, str) else v


def _audit_bulk(cursor, user, label: str, entries: list[tuple], batch: str, note: str) -> None:
    """One AuditEntry per created/updated row, written like audit.services.record_many but as one
    executemany (the ORM's bulk_create of 100,000 JSON rows alone took longer than the whole import)."""
    from jingkai.audit.models import AuditEntry

    meta = AuditEntry._meta
    q = connection.ops.quote_name
    cols = ["at", "user_id", "action", "model", "object_key", "before", "after", "batch", "note"]
    sql = (f"INSERT INTO {q(meta.db_table)} ({', '.join(q(meta.get_field(c.removesuffix('_id')).column) for c in cols)}) "
           f"VALUES ({', '.join(['%s'] * len(cols))})")
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    uid = user.pk if getattr(user, "pk", None) else None
    params = [(at, uid, action, label, key[:100], before, after, batch, note[:300])
              for action, key, before, after in entries]
    for i in range(0, len(params), CHUNK):
        cursor.executemany(sql, params[i:i + CHUNK])


# ---------------------------------------------------------------- entry points

def run_import(kind: str, path: Path, user=None, zone_code: str | None = None) -> ImportResult:
    spec = get_kind(kind)
    path = Path(path)
    file_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        table = read_table(path, spec)
    except (ValueError, pl.exceptions.PolarsError, fastexcel.FastExcelError) as exc:
        err = [CellError(0, "文件", path.name, f"无法读取文件：{exc}")]
        return ImportResult(kind, False, errors=err, file_hash=file_hash)
    result = _run(spec, table, user, zone_code, file_hash, note=f"导入文件 {path.name}", source="文件导入")
    if not result.ok:
        result.report_path = path.with_name(f"{path.stem}.errors.xlsx")
        excel.write_error_report(result.report_path, spec, table, result.errors)
    return result


def run_import_rows(kind: str, rows: list[dict], user=None, zone_code: str | None = None,
                    source: str = "网页填报") -> ImportResult:
    spec = get_kind(kind)
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
    return _run(spec, rows_table(rows), user, zone_code, digest, note=source, source=source)


def _run(spec: Kind, table: Table, user, zone_code, file_hash: str, note: str, source: str) -> ImportResult:
    plan, errors = validate(spec, table, user=user, zone_code=zone_code, source=source)
    if errors:
        return ImportResult(spec.name, False, errors=errors, file_hash=file_hash)
    created, updated, unchanged = _write(plan, user, file_hash, note)
    return ImportResult(spec.name, True, created, updated, unchanged, [], file_hash)


def write_template(kind: str, out: Path) -> Path:
    spec = get_kind(kind)
    out = Path(out)
    excel.write_template(out, spec, zones=list(Zone.objects.order_by("code").values_list("code", "name")),
                         indicators=list(Indicator.objects.values_list("key", "name", "unit", "frequency")))
    return out


def export(kind: str, out: Path, scope: Scope, zone_code: str | None = None, period: str | None = None) -> int:
    """Write what `scope` sees (optionally one zone, one period; for enterprise-years the period is
    the year) to CSV (canonical keys) or XLSX (template layout). Returns the number of rows."""
    spec = get_kind(kind)
    out = Path(out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise ValueError(f"不支持的导出格式“{out.suffix}”：请使用 .csv 或 .xlsx")
    if zone_code:
        zone = Zone.objects.filter(code=zone_code.strip().upper()).first()
        if zone is None:
            raise ValueError(f"园区代码 {zone_code} 不存在")
        if not scope.sees_zone(zone.id):
            raise PermissionError(f"无权导出园区 {zone.code} 的数据")
    frame = _export_frame(spec, scope, zone_code.strip().upper() if zone_code else None, period)
    if out.suffix.lower() == ".csv":
        text = frame.with_columns(
            [pl.col(c).list.join(";") for c, t in frame.schema.items() if isinstance(t, pl.List)]
        ).with_columns([pl.col(c).cast(pl.Utf8).str.to_lowercase() for c, t in frame.schema.items() if t == pl.Boolean])
        text.write_csv(out)
    else:
        excel.write_export(out, spec, frame)
    return frame.height


def _export_frame(spec: Kind, scope: Scope, zone_code: str | None, period: str | None) -> pl.DataFrame:
    if spec is ENTERPRISES:
        qs = scope.filter(Enterprise.objects.all())
        if zone_code:
            qs = qs.filter(zone__code=zone_code)
        cols = {c.key: (c.field if c.key != "zone_code" else "zone__code") for c in spec.columns}
        order = ("zone__code", "uscc")
    elif spec is ENTERPRISE_YEARS:
        qs = scope.filter(EnterpriseYear.objects.all(), "enterprise__zone")
        if zone_code:
            qs = qs.filter(enterprise__zone__code=zone_code)
        if period:
            p = parse_period(period)
            if p is None or p.frequency != "year":
                raise ValueError("企业年度数据的 --period 应为年份，如 2024")
            qs = qs.filter(year=p.year)
        cols = {c.key: (c.field if c.key != "uscc" else "enterprise__uscc") for c in spec.columns}
        order = ("enterprise__uscc", "year")
    else:
        qs = scope.filter(IndicatorValue.objects.all())
        if zone_code:
            qs = qs.filter(zone__code=zone_code)
        if period:
            if parse_period(period) is None:
                raise ValueError("期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM")
            qs = qs.filter(period=str(parse_period(period)))
        cols = {"zone_code": "zone__code", "period": "period", "indicator": "indicator__key", "value": "value",
                "unit": "indicator__unit", "source": "source", "note": "note"}
        order = ("zone__code", "period", "indicator__id")
    rows = list(qs.order_by(*order).values_list(*cols.values()))
    schema = {key: _polars_type(spec.by_key[key]) for key in cols}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _polars_type(col) -> pl.DataType:
    return {"float": pl.Float64, "int": pl.Int64, "bool": pl.Boolean, "date": pl.Date,
            "list": pl.List(pl.Utf8)}.get(col.type, pl.Utf8)
