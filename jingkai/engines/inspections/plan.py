"""双随机 planning: object pools, the stratified draw by credit class, 综合查一次 joint visits, the schedule.

Deterministic by construction: inputs are sorted by key before anything is drawn, every stratum (department ×
item × credit class) draws from its own PCG64 stream seeded by (published seed, stratum key), and the output
lists are sorted — so the same inputs and seed give the identical plan, and an auditor can re-run one stratum
from the certificate (seed, pool hash, algorithm version, counts).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from . import schedule, workdays
from .rules import CLASSES, UNCLASSIFIED, Rules

ALGORITHM = "jingkai-inspections/1: 分层（信用类别）随机键抽样 n=ceil(比例×N)，numpy PCG64，种子=(公布种子, 层键 sha256)"
TRUE = {"true", "1", "是", "y", "yes", "t"}
FALSE = {"false", "0", "否", "n", "no", "f", ""}
ENTERPRISE_COLUMNS = ("uscc", "name", "zone_code", "industry_code", "credit_class", "exempt", "key_supervision")
ITEM_COLUMNS = ("department", "item_code", "item_name", "applies_to", "published")
VISIT_COLUMNS = ("uscc", "department", "date")  # optional: level, exemption
INSPECTOR_COLUMNS = ("department", "person_id", "cert_no", "cert_valid_to")  # optional: name, conflicts


class DataError(ValueError):
    """The input rows cannot be planned; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date


def parse_period(code: str) -> Period:
    """2027Q1, 2027-03 or 2027."""
    if m := re.fullmatch(r"(\d{4})Q([1-4])", code):
        year, q = int(m[1]), int(m[2])
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(1)
    elif m := re.fullmatch(r"(\d{4})-(\d{2})", code):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise DataError(f"期间“{code}”的月份不正确")
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(1)
    elif re.fullmatch(r"\d{4}", code):
        start, end = dt.date(int(code), 1, 1), dt.date(int(code), 12, 31)
    else:
        raise DataError(f"期间“{code}”应写作 2027Q1、2027-03 或 2027")
    return Period(code, start, end)


def read_table(path: str | Path, what: str, required: tuple[str, ...]) -> pl.DataFrame:
    """A CSV or Excel sheet as text columns; the required columns must be there."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            df = pl.read_excel(path, infer_schema_length=0)
        else:
            df = pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise DataError(f"无法读取{what} {path}：{exc}") from exc
    return require(df, what, required)


def require(df: pl.DataFrame, what: str, required: tuple[str, ...]) -> pl.DataFrame:
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"{what}缺少列：{'、'.join(missing)}")
    return df.with_columns(pl.col(c).cast(pl.String).fill_null("").str.strip_chars() for c in df.columns)


def _flags(df: pl.DataFrame, column: str, what: str) -> np.ndarray:
    values = df[column].str.to_lowercase()
    bad = values.filter(~values.is_in(TRUE | FALSE))
    if len(bad):
        raise DataError(f"{what}的 {column} 列只能填 true/false，发现“{bad[0]}”")
    return values.is_in(TRUE).to_numpy()


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise DataError(f"{what}的日期“{text}”应写作 2025-01-31") from exc


def _stream(seed: int, *key: str) -> np.random.Generator:
    words = np.frombuffer(hashlib.sha256("\x1f".join(key).encode()).digest()[:16], dtype="<u4")
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *words.tolist()])))


def draw_stratum(seed: int, key: tuple[str, ...], population: int, n: int) -> np.ndarray:
    """Indices (into the uscc-sorted stratum) of the n members with the smallest random keys, ascending."""
    if n >= population:
        return np.arange(population)
    keys = _stream(seed, *key).random(population)
    return np.sort(np.argsort(keys, kind="stable")[:n])


def sample_size(ratio: Fraction, population: int) -> int:
    """n = ceil(ratio × N), exact in decimals (0.07 × 100 is 7, not 8)."""
    return math.ceil(ratio * population)


def _hash(*frames: pl.DataFrame | None, extra: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(extra, sort_keys=True, ensure_ascii=False).encode())
    for df in frames:
        if df is not None:
            digest.update(b"\x1e")
            digest.update(df.select(sorted(df.columns)).write_csv().encode())
    return digest.hexdigest()


def _prior_counts(visits: pl.DataFrame | None, rules: Rules, year: int) -> tuple[dict[tuple[str, str, str], int],
                                                                                  dict[tuple[str, str], int]]:
    per_level: dict[tuple[str, str, str], int] = defaultdict(int)
    cumulative: dict[tuple[str, str], int] = defaultdict(int)
    if visits is None:
        return per_level, cumulative
    levels = visits["level"] if "level" in visits.columns else pl.Series([""] * len(visits))
    exemptions = visits["exemption"] if "exemption" in visits.columns else pl.Series([""] * len(visits))
    for uscc, dept, day, level, exemption in zip(visits["uscc"], visits["department"], visits["date"], levels,
                                                 exemptions, strict=True):
        if exemption and exemption not in rules.exemptions and exemption not in rules.exemptions.values():
            raise DataError(f"入企记录的不计频次情形“{exemption}”不在规则的个案检查清单中")
        if exemption or _date(day, "入企记录").year != year:
            continue  # 个案检查不受频次上限限制; other years do not count
        per_level[uscc, dept, level or rules.default_level] += 1
        cumulative[uscc, dept] += 1
    return per_level, cumulative


def plan(enterprises: pl.DataFrame, items: pl.DataFrame, rules: Rules, period: Period, seed: int,
         visits: pl.DataFrame | None = None, inspectors: pl.DataFrame | None = None, *,
         scheduler: str = "model", time_limit: float = 20.0) -> dict[str, Any]:
    """The plan of `period` as a JSON-ready dict (keys and lists in a fixed order). `scheduler`: "model" (the
    integer model, the greedy as its fallback) or "greedy"; `time_limit`: the model's, in seconds."""
    ent = require(enterprises, "企业名录", ENTERPRISE_COLUMNS).sort("uscc")
    itm = require(items, "检查事项清单", ITEM_COLUMNS).sort("department", "item_code")
    vis = None if visits is None else require(visits, "入企记录", VISIT_COLUMNS).sort(pl.all())
    ins = None if inspectors is None else require(inspectors, "执法检查人员名录", INSPECTOR_COLUMNS).sort(
        "department", "person_id")
    dup = ent["uscc"].filter(ent["uscc"].is_duplicated())
    if len(dup):
        raise DataError(f"企业名录中统一社会信用代码重复：{dup[0]}")
    if (ent["uscc"] == "").any():
        raise DataError("企业名录中有统一社会信用代码为空的行")
    classes = ent["credit_class"].str.to_uppercase()
    bad = classes.filter(~classes.is_in([*CLASSES, ""]))
    if len(bad):
        raise DataError(f"信用风险分类只能是 A、B、C、D 或空白，发现“{bad[0]}”")
    uscc = ent["uscc"].to_numpy()
    industries = ent["industry_code"]
    stratum = np.where(classes.to_numpy() == "", UNCLASSIFIED, classes.to_numpy()).astype(str)
    exempt, key = _flags(ent, "exempt", "企业名录"), _flags(ent, "key_supervision", "企业名录")
    published = _flags(itm, "published", "检查事项清单")
    per_level, cumulative = _prior_counts(vis, rules, period.start.year)

    undisturbed = (exempt | np.isin(stratum, sorted(rules.undisturbed_classes))) & ~key
    excluded: dict[tuple[str, str], None] = {}
    for u, e in zip(uscc[undisturbed], exempt[undisturbed], strict=True):
        excluded[str(u), "无事不扰名单，不主动入企检查" if e else "A 类（信用风险低）无事不扰，非重点监管对象"] = None

    position = {str(u): i for i, u in enumerate(uscc)}

    @cache
    def capped(dept: str, level: str) -> list[tuple[int, str]]:
        """The enterprises this department may not visit again this year at this level, with the reason."""
        out = []
        for (u, d), done_all in cumulative.items():
            done_level = per_level.get((u, d, level), 0)
            if d == dept and u in position and (done_level >= rules.per_level_cap or done_all >= rules.cumulative_cap):
                out.append((position[u], f"{dept}本年度已入企检查：本级 {done_level} 次（上限 {rules.per_level_cap} "
                                         f"次）、各级累计 {done_all} 次（上限 {rules.cumulative_cap} 次），不再抽取"))
        return out

    @cache
    def in_scope(prefixes: tuple[str, ...]) -> np.ndarray:
        """GB/T 4754 code prefixes an item applies to; none = every industry."""
        if not prefixes:
            return np.ones(len(uscc), bool)
        masks = [industries.str.starts_with(p).to_numpy() for p in prefixes]
        return np.asarray(np.logical_or.reduce(masks), dtype=bool)

    draws: list[dict[str, Any]] = []
    skipped: list[dict[str, str]] = []
    joint: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    separate: set[tuple[str, str]] = set()
    levels = itm["level"] if "level" in itm.columns else pl.Series([""] * len(itm))
    for row, is_published, level in zip(itm.iter_rows(named=True), published, levels, strict=True):
        dept, code = row["department"], row["item_code"]
        if not is_published:
            skipped.append({"department": dept, "item": code, "reason": "检查事项未经公布，不得实施"})
            continue
        level = level or rules.default_level
        scope = in_scope(tuple(sorted({p.strip() for p in row["applies_to"].split(";") if p.strip()})))
        at_cap = np.zeros(len(uscc), bool)
        for i, reason in capped(dept, level):
            if scope[i] and not undisturbed[i]:
                at_cap[i] = True
                excluded[str(uscc[i]), reason] = None
        pool = scope & ~undisturbed & ~at_cap
        for cls in (*CLASSES, UNCLASSIFIED):
            members = np.flatnonzero(pool & (stratum == cls))
            if not len(members):
                continue
            ratio = rules.ratio(dept, cls)
            n = sample_size(ratio, len(members))
            chosen = members[draw_stratum(seed, (dept, code, cls), len(members), n)]
            draws.append({"department": dept, "item": code, "credit_class": cls, "population": len(members),
                          "ratio": float(ratio), "drawn": n})
            for i in chosen:
                u = str(uscc[i])
                joint[u][0].add(dept)
                joint[u][1].add(code)
                separate.add((u, dept))

    days = workdays.working_days(period.start, period.end)
    limits = schedule.Limits(rules.capacity, rules.inspector_capacity, rules.inspectors_per_visit)
    booked = schedule.schedule(joint, days, limits, None if ins is None else _roster(ins), seed,
                               scheduler=scheduler, time_limit=time_limit)
    visit_rows, unscheduled, staffed = booked.visits, booked.unscheduled, booked.unstaffed
    for v in visit_rows:
        v["publish_by"] = deadline(v["date"], rules.publication_days)
    names = dict(zip(ent["uscc"], ent["name"], strict=True))
    pool_hash = _hash(ent, itm, vis, ins, extra={"rules": [rules.id, rules.version, rules.digest],
                                                 "period": period.code})
    return {
        "seed": seed,
        "algorithm": ALGORITHM,
        "pool_hash": pool_hash,
        "draws": draws,
        "visits": visit_rows,
        "excluded": [{"uscc": u, "reason": r} for u, r in sorted(excluded)],
        "scheduler": booked.info["scheduler"],  # highs-mip/1, or greedy-first-fit/1 (why: summary.scheduler)
        "period": {"code": period.code, "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "working_days": len(days), "calendar": workdays.describe(period.start, period.end)},
        "rules": {"id": rules.id, "version": rules.version, "sha256": rules.digest},
        "summary": {
            "enterprises": len(uscc),
            "visits_separate": len(separate),
            "visits_joint": len(joint),
            "reduction": round(1 - len(joint) / len(separate), 4) if separate else 0.0,
            "unscheduled": [{"uscc": u, "name": names[u], "reason": r} for u, r in unscheduled],
            "unstaffed": staffed,
            "scheduler": booked.info,
            "skipped_items": skipped,
        },
    }


@cache
def deadline(day: str, working_days: int) -> str:
    return workdays.add_working_days(dt.date.fromisoformat(day), working_days).isoformat()


def _roster(roster: pl.DataFrame) -> dict[str, list[schedule.Person]]:
    conflicts = roster["conflicts"] if "conflicts" in roster.columns else pl.Series([""] * len(roster))
    people: dict[str, list[schedule.Person]] = defaultdict(list)
    for dept, pid, cert, valid_to, conf in zip(roster["department"], roster["person_id"], roster["cert_no"],
                                               roster["cert_valid_to"], conflicts, strict=True):
        until = _date(valid_to, "执法检查人员名录") if cert and valid_to else None
        people[dept].append(schedule.Person(pid, until, frozenset(c.strip() for c in conf.split(";") if c.strip())))
    return dict(people)
