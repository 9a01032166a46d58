"""Enterprise-years from the database as one polars table in canonical keys (for the rule engine)."""

from __future__ import annotations

import polars as pl

from jingkai.enterprises.models import Enterprise, EnterpriseTag, EnterpriseYear

ENTERPRISE_KEYS = ["uscc", "name", "industry_code", "size_class", "ownership", "above_scale", "listed",
                   "credit_class", "established", "chain", "chain_link"]
SKIP = {"id", "enterprise"}


def year_keys() -> list[str]:
    return [f.name for f in EnterpriseYear._meta.concrete_fields if f.name not in SKIP]


def load_enterprise_years(year: int | None = None, zone: str | list[str] | None = None) -> pl.DataFrame:
    """One row per (enterprise, year); tags as `tag@from/to` so the engine checks validity on its date.
    `zone`: one zone code or a list of them."""
    keys = year_keys()
    qs = EnterpriseYear.objects.all()
    if year is not None:
        qs = qs.filter(year=year)
    if isinstance(zone, str):
        qs = qs.filter(enterprise__zone__code=zone)
    elif zone:
        qs = qs.filter(enterprise__zone__code__in=list(zone))
    fields = [f"enterprise__{k}" for k in ENTERPRISE_KEYS] + ["enterprise__zone__code", "enterprise_id"] + keys
    rows = list(qs.values(*fields))
    tags: dict[int, list[str]] = {}
    # a subquery rather than a list of ids: no limit on query parameters however many enterprises
    held = EnterpriseTag.objects.filter(enterprise_id__in=qs.values("enterprise_id"))
    for t in held.values("enterprise_id", "tag", "valid_from", "valid_to"):
        span = f"{t['valid_from'] or ''}/{t['valid_to'] or ''}"
        tags.setdefault(t["enterprise_id"], []).append(t["tag"] if span == "/" else f"{t['tag']}@{span}")
    out = []
    for r in rows:
        rec = {k: r[f"enterprise__{k}"] for k in ENTERPRISE_KEYS}
        rec["zone_code"] = r["enterprise__zone__code"]
        rec.update({k: r[k] for k in keys})
        rec["established"] = rec["established"].isoformat() if rec["established"] else None
        for k in ("size_class", "ownership", "credit_class", "rd_institution_level", "chain", "chain_link"):
            rec[k] = rec[k] or None
        rec["honors"] = [str(h) for h in (rec["honors"] or [])]
        rec["tags"] = tags.get(r["enterprise_id"], [])
        out.append(rec)
    schema = {"honors": pl.List(pl.String), "tags": pl.List(pl.String), "established": pl.String}
    if not out:
        return pl.DataFrame(schema={"uscc": pl.String, "zone_code": pl.String, "year": pl.Int64, **schema})
    return pl.from_dicts(out, infer_schema_length=None, schema_overrides=schema)


__all__ = ["Enterprise", "load_enterprise_years"]
