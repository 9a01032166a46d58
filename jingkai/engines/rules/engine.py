"""Evaluate a rule set over a table of enterprise-years: vectorised (polars) or row by row (Python)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import polars as pl

from .backends import PolarsBackend, PythonBackend
from .compile import Builder, compile_ruleset, levels, scope_condition
from .expr import names, tags_used
from .ruleset import RuleSet, Spec, select

STRING_KEYS = {"uscc", "name", "zone_code", "industry_code", "size_class", "ownership", "credit_class",
               "rd_institution_level", "established", "main_products"}
BOOL_KEYS = {"above_scale", "listed", "strategic_emerging"}
LIST_KEYS = {"honors", "tags"}
INT_KEYS = {"year"}
LIST_SEP = r"[;；、]"


def _texts(obj: object) -> Iterator[str]:
    """Every expression text in a rule file (for the keys and tags it reads)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("value", "when", "formula", "show", "exempt") and isinstance(v, str):
                yield v
            elif k in ("derive",) and isinstance(v, dict):
                yield from (t for t in v.values() if isinstance(t, str))
            else:
                yield from _texts(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _texts(v)


def inputs_of(rs: RuleSet) -> tuple[set[str], set[str]]:
    """(canonical keys read, tags tested) by a rule set."""
    keys: set[str] = set()
    tags: set[str] = set()
    for t in _texts(rs.spec):
        keys |= names(t)
        tags |= tags_used(t)
    for node in _walk_prereqs(rs.spec):
        tags |= set(node.get("tags", []))
    if "scope" in rs.spec:
        keys |= names(scope_condition(rs.spec["scope"]))
    derived = set(rs.spec.get("derive") or {})
    keys |= {c for c in rs.spec.get("cohort_by", ["zone_code", "year"])}
    return keys - derived - {"stage", "segment", "score", "in_scope"}, tags


def rulesets_used(rs: RuleSet, on: dt.date) -> list[RuleSet]:
    """The rule set and those it draws on (filled inputs, prerequisite programmes), as selected on `on`,
    by id."""
    out: dict[str, RuleSet] = {}
    todo = [rs]
    while todo:
        r = todo.pop()
        if r.id in out:
            continue
        out[r.id] = r
        deps = prerequisites(r)
        todo += [select(p, on) for p in deps]
    return [out[k] for k in sorted(out)]


def input_keys(rs: RuleSet, on: dt.date) -> set[str]:
    """The canonical keys an evaluation of `rs` on `on` reads from its input table: those of the rule set
    and of every rule set it draws on (tags are read from the `tags` column)."""
    return set().union(*(inputs_of(r)[0] | _lever_keys(r.spec) for r in rulesets_used(rs, on)))


def _lever_keys(obj: object) -> set[str]:
    """Keys a gap's amount is computed from (`lever: {key, per}`), read by the explanations."""
    if isinstance(obj, dict):
        lever = obj.get("lever")
        own = {lever[k] for k in ("key", "per") if k in lever} if isinstance(lever, dict) else set()
        return own.union(*(_lever_keys(v) for v in obj.values()))
    if isinstance(obj, list):
        return set().union(*(_lever_keys(v) for v in obj))
    return set()


def _walk_prereqs(obj: object) -> Iterator[Spec]:
    if isinstance(obj, dict):
        if "prerequisite" in obj:
            yield obj["prerequisite"]
        for v in obj.values():
            yield from _walk_prereqs(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_prereqs(v)


def _dtype(key: str) -> pl.DataType | type[pl.DataType]:
    if key in STRING_KEYS:
        return pl.String
    if key in BOOL_KEYS:
        return pl.Boolean
    if key in LIST_KEYS:
        return pl.List(pl.String)
    if key in INT_KEYS:
        return pl.Int64
    return pl.Float64


def normalise(df: pl.DataFrame) -> pl.DataFrame:
    """Canonical types: lists from `;`-separated cells, booleans from 是/否/1/0, dates as ISO text."""
    fixes = []
    for c, t in df.schema.items():
        if t == pl.Null:
            fixes.append(pl.col(c).cast(_dtype(c)))
        elif t in (pl.Float64, pl.Float32):
            fixes.append(pl.col(c).fill_nan(None))  # NaN from numpy/pandas means missing
        elif c in LIST_KEYS and t == pl.String:
            fixes.append(pl.col(c).str.replace_all(LIST_SEP, ";").str.split(";").list.eval(
                pl.element().str.strip_chars()).list.eval(pl.element().filter(pl.element() != "")))
        elif c in BOOL_KEYS and t != pl.Boolean:
            s = pl.col(c).cast(pl.String).str.strip_chars().str.to_lowercase()
            fixes.append(pl.when(s.is_in(["true", "是", "1", "y", "yes"])).then(True)
                         .when(s.is_in(["false", "否", "0", "n", "no"])).then(False).alias(c))
        elif c in STRING_KEYS and t != pl.String:
            fixes.append(pl.col(c).cast(pl.String))
        elif c == "year" and t not in (pl.Int64, pl.Int32):
            fixes.append(pl.col(c).cast(pl.Int64, strict=False))
        elif c not in STRING_KEYS | BOOL_KEYS | LIST_KEYS | {"year"} and t == pl.String:
            fixes.append(pl.col(c).str.strip_chars().cast(pl.Float64, strict=False))
    return df.with_columns(fixes) if fixes else df


def prepare(rs: RuleSet, df: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Add missing keys as nulls and one boolean column per tag: held and valid on the date."""
    keys, tags = inputs_of(rs)
    df = normalise(df)
    missing = [pl.lit(None, dtype=_dtype(k)).alias(k) for k in sorted(keys | {"tags"}) if k not in df.columns]
    if missing:
        df = df.with_columns(missing)
    return df.with_columns(tag_columns(df["tags"], sorted(tags), on)) if tags else df


def tag_columns(tags: pl.Series, wanted: list[str], on: dt.date) -> list[pl.Series]:
    """`_tag__X`: the row holds tag X (written `X` or `X@from/to`, either date optional) valid on `on`."""
    day = on.isoformat()
    long = pl.DataFrame({"tags": tags}).with_row_index("_i").explode("tags").drop_nulls("tags")
    parts = long["tags"].str.split("@")
    span = parts.list.get(1, null_on_oob=True).fill_null("/").str.split("/")
    long = long.with_columns(tag=parts.list.first(), start=span.list.get(0, null_on_oob=True).fill_null(""),
                             end=span.list.get(1, null_on_oob=True).fill_null(""))
    held = long.filter(pl.col("tag").is_in(wanted) & ((pl.col("start") == "") | (pl.col("start") <= day))
                       & ((pl.col("end") == "") | (pl.col("end") >= day)))
    rows = pl.Series(range(len(tags)), dtype=pl.UInt32)
    return [rows.is_in(held.filter(pl.col("tag") == t)["_i"].implode()).alias(f"_tag__{t}") for t in wanted]


def prerequisites(rs: RuleSet) -> set[str]:
    """The programmes a rule set draws on: those filling its missing inputs (`fill_from`) and those whose
    verdicts its criteria require (`prerequisite`). Program ids: select each version by date."""
    return set((rs.spec.get("fill_from") or {}).values()) | compile_ruleset(rs, PolarsBackend).priors


def _priors(rs: RuleSet, builder: Builder, df: pl.DataFrame, on: dt.date, backend: str) -> pl.DataFrame:
    for prog in sorted(builder.priors):
        dep = select(prog, on)
        res = evaluate(dep, df, on, backend=backend)
        df = df.with_columns(res["eligible"].alias(f"_prior__{prog}"))
    return df


def evaluate(rs: RuleSet, df: pl.DataFrame, on: dt.date | None = None, backend: str = "polars") -> pl.DataFrame:
    """All stage columns added to the input rows. `on` = evaluation date (tags and prerequisites)."""
    on = on or dt.date.today()
    df = prepare(rs, df, on)
    for key, prog in (rs.spec.get("fill_from") or {}).items():
        # a prior result fills a missing input, e.g. size_class from the 300号 size rule set
        if df[key].null_count():
            derived = evaluate(select(prog, on), df, on)["class"]
            df = df.with_columns(pl.coalesce(pl.col(key), derived).alias(key))
    if backend == "python":
        return evaluate_rows(rs, df, on)
    builder = compile_ruleset(rs, PolarsBackend)
    df = _priors(rs, builder, df, on, backend)
    lf = df.lazy()
    for group in levels(builder.stages):
        lf = lf.with_columns([s.expr.alias(s.name) for s in group])
    return lf.collect()


def evaluate_rows(rs: RuleSet, df: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """The same rule file evaluated one row at a time in plain Python (reference and baseline)."""
    rows = df.to_dicts()
    backend = PythonBackend(rows)
    builder = compile_ruleset(rs, backend)
    if builder.priors:
        df = _priors(rs, builder, df, on, "python")
        rows = df.to_dicts()
        backend.rows[:] = rows
    for stage in builder.stages:
        fn, name = stage.expr, stage.name
        for row in rows:
            row[name] = fn(row)
    return pl.from_dicts(rows, infer_schema_length=None)
