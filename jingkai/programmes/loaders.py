"""Enterprise-years from the database as one polars table in canonical keys (for the rule engine)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from jingkai.accounts.scope import PROVINCE
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, EnterpriseTag, tables_holding
from jingkai.enterprises.selectors import YearRows

ENTERPRISE_KEYS = ["uscc", "name", "industry_code", "size_class", "ownership", "above_scale", "listed",
                   "credit_class", "established", "main_products"]
BLANK_IS_NULL = ("size_class", "ownership", "credit_class", "rd_institution_level", "main_products")


def load_enterprise_years(year: int | None = None, zone: str | list[str] | None = None,
                          keys: Iterable[str] | None = None) -> pl.DataFrame:
    """One row per (enterprise, year); tags as `tag@from/to` so the engine checks validity on its date.
    `zone`: one zone code or a list of them. `keys`: the canonical keys the caller reads (for a rule set,
    `jingkai.engines.rules.input_keys`); only the fact tables that hold one of them are read, in one
    query, and the table has their facts only. None: every fact of every table.

    The rows are the enterprise-years of the tables read (those of all tables when none holds a key)."""
    wanted = None if keys is None else set(keys)
    tables = YEAR_TABLES if wanted is None else tables_holding(wanted)
    zones = [zone] if isinstance(zone, str) else (list(zone) if zone else None)
    found = YearRows(PROVINCE, tables or YEAR_TABLES, fields=None if wanted is None else sorted(wanted) if tables else [],
                     enterprise_fields=[*ENTERPRISE_KEYS[1:], "zone_code", "enterprise_id"], year=year,
                     zone_codes=zones, order_by_id=True)
    facts = [f.name for _, f in found.facts]
    enterprises = Enterprise.objects.filter(zone__code__in=zones) if zones else Enterprise.objects.all()
    tags: dict[int, list[str]] = {}
    # a subquery rather than a list of ids: no limit on query parameters however many enterprises
    held = EnterpriseTag.objects.filter(enterprise__in=enterprises.values("id"))
    for t in held.values("enterprise_id", "tag", "valid_from", "valid_to"):
        span = f"{t['valid_from'] or ''}/{t['valid_to'] or ''}"
        tags.setdefault(t["enterprise_id"], []).append(t["tag"] if span == "/" else f"{t['tag']}@{span}")
    out = []
    for r in found:
        rec = {k: r[k] for k in ENTERPRISE_KEYS}
        rec["zone_code"] = r["zone_code"]
        rec["year"] = r["year"]
        rec.update({k: r[k] for k in facts})
        rec["established"] = rec["established"].isoformat() if rec["established"] else None
        for k in BLANK_IS_NULL:
            if k in rec:
                rec[k] = rec[k] or None
        if "honors" in rec:
            rec["honors"] = [str(h) for h in (rec["honors"] or [])]
        rec["tags"] = tags.get(r["enterprise_id"], [])
        out.append(rec)
    schema: dict[str, pl.DataType] = {"honors": pl.List(pl.String), "tags": pl.List(pl.String),
                                      "established": pl.String()}
    if not out:
        return pl.DataFrame(schema={"uscc": pl.String, "zone_code": pl.String, "year": pl.Int64, **schema})
    return pl.from_dicts(out, infer_schema_length=None, schema_overrides={
        k: v for k, v in schema.items() if k in out[0]})


__all__ = ["Enterprise", "load_enterprise_years"]
