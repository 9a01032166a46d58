"""Rule files: loading, band-edge words, and choosing the version in force on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .expr import RuleError

RULESET_DIR = Path(__file__).parent / "rulesets"

Spec = dict[str, Any]  # a mapping read from a rule file (YAML): the file, a criterion, a band …

# Band-edge words. 以上/以下/不低于/不超过 include the boundary; 超过/不足/低于 exclude it.
EDGES = {
    "以上": ">=", "不低于": ">=", "不少于": ">=", "达到": ">=", "gte": ">=",
    "超过": ">", "高于": ">", "gt": ">",
    "以下": "<=", "不超过": "<=", "不高于": "<=", "lte": "<=",
    "不足": "<", "低于": "<", "少于": "<", "lt": "<",
}
OP_WORDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def edges_of(spec: Spec) -> list[tuple[str, float, str]]:
    """[(op, threshold, word)] for the edge keys present in a band or condition."""
    return [(EDGES[k], v, k) for k, v in spec.items() if k in EDGES]


@dataclass
class RuleSet:
    id: str
    program: str
    title: str
    kind: str
    provenance: Spec
    spec: Spec = field(repr=False)
    path: Path | None = None

    @property
    def version(self) -> str:
        return str(self.spec.get("version", self.id))

    @property
    def effective_from(self) -> dt.date | None:
        return _date(self.provenance.get("effective_from"))

    @property
    def effective_to(self) -> dt.date | None:
        return _date(self.provenance.get("effective_to"))

    @property
    def provisional(self) -> bool:
        return bool(self.spec.get("provisional"))

    @property
    def unverified(self) -> list[str]:
        return list(self.provenance.get("unverified") or [])

    def in_force(self, on: dt.date) -> bool:
        start, end = self.effective_from, self.effective_to
        return (start is None or start <= on) and (end is None or on <= end)


def _date(v: object) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


REQUIRED = ("id", "program", "title", "kind", "provenance")
PROVENANCE = ("document", "issued", "effective_from", "url")


def parse(text: str, path: Path | None = None) -> RuleSet:
    spec = yaml.safe_load(text)
    where = path.name if path else "规则文件"
    missing = [k for k in REQUIRED if k not in spec]
    if missing:
        raise RuleError(f"{where}: 缺少字段 {missing}")
    prov = spec["provenance"]
    missing = [k for k in PROVENANCE if k not in prov]
    if missing:
        raise RuleError(f"{where}: provenance 缺少 {missing}")
    if spec["kind"] not in ("tier", "score", "classify"):
        raise RuleError(f"{where}: 未知 kind {spec['kind']!r}")
    return RuleSet(spec["id"], spec["program"], spec["title"], spec["kind"], prov, spec, path)


@cache
def registry(directory: Path = RULESET_DIR) -> dict[str, RuleSet]:
    out = {}
    for p in sorted(directory.glob("*.yaml")):
        rs = parse(p.read_text(encoding="utf-8"), p)
        if rs.id in out:
            raise RuleError(f"{p.name}: 重复的规则集 id {rs.id}")
        out[rs.id] = rs
    return out


def programs(directory: Path = RULESET_DIR) -> dict[str, list[RuleSet]]:
    out: dict[str, list[RuleSet]] = {}
    for rs in registry(directory).values():
        out.setdefault(rs.program, []).append(rs)
    return out


def select(name: str, on: dt.date | None = None, directory: Path = RULESET_DIR) -> RuleSet:
    """A rule-set id names that version; a programme id gives the version in force on `on` (default today).
    A first version whose id is its programme's id (mujun-gansu) is, once revised, named by the programme:
    stored runs keep reading it by id through `registry()`."""
    reg = registry(directory)
    versions = programs(directory).get(name)
    if name in reg and len(versions or []) <= 1:
        return reg[name]
    if not versions:
        known = sorted(set(reg) | set(programs(directory)))
        raise RuleError(f"未知的评价项目或规则集 {name!r}；可选：{', '.join(known)}")
    on = on or dt.date.today()
    live = [v for v in versions if v.in_force(on)]
    if not live:
        raise RuleError(f"{name}: {on.isoformat()} 没有有效的规则版本")
    # the latest regime; of two versions of the same regime, the one issued later (a revision) wins
    return max(live, key=lambda v: (v.effective_from or dt.date.min, _date(v.provenance.get("issued")) or dt.date.min))
