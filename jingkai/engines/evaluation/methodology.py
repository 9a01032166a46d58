"""Methodology files: versioned YAML with provenance, compiled into arrays the pipeline uses.

A node of `tree` with `children` is an aggregate, a node without is an indicator. Indicators and
aggregates are numbered indicators first, then aggregates bottom-up, so that one pass over the
aggregates in order computes the whole tree.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .errors import MethodologyError

METHODOLOGY_DIR = Path(__file__).parent / "methodologies"

IMPUTE = {"none", "mean", "median", "group_mean", "group_median"}
TREAT = {"none", "coinr"}
NORMALISE = {"minmax", "zscore", "goalposts", "rank", "percentile", "ratio"}
AGGREGATE = {"arithmetic", "geometric", "harmonic"}
COUNT_UNITS = {"个", "家", "人", "项", "件", "所"}


@dataclass
class Indicator:
    code: str
    name: str
    unit: str = ""
    direction: int = 1
    weight: float = 1.0
    column: str = ""
    denominator: str | None = None
    impute: dict[str, Any] = field(default_factory=dict)
    treat: dict[str, Any] = field(default_factory=dict)
    normalise: dict[str, Any] = field(default_factory=dict)
    unverified: bool = False
    reason: str = ""
    difficulty: float = 1.0  # target path: effort per unit of relative change
    max_change: float = 0.5  # target path: largest plausible relative change
    bounds: tuple[float | None, float | None] = (None, None)  # plausible range of the raw value
    integer: bool = False  # counts change in whole numbers


@dataclass
class Aggregate:
    code: str
    name: str
    weight: float
    aggregate: dict[str, Any]
    children: list[str]
    unverified: bool = False
    reason: str = ""


@dataclass
class Bonus:
    code: str
    name: str
    column: str
    points_per_unit: float
    max: float | None = None
    unverified: bool = False
    reason: str = ""


@dataclass
class Methodology:
    id: str
    name: str
    version: str
    source: dict[str, Any]
    unit_key: str
    name_key: str | None
    group_keys: list[str]
    defaults: dict[str, Any]
    screen: dict[str, Any]
    reference: dict[str, Any] | None
    indicators: list[Indicator]
    aggregates: list[Aggregate]  # bottom-up; the last one is the root
    bonus: list[Bonus]
    uncertainty: dict[str, Any]
    raw: dict[str, Any]  # the parsed YAML, for storage and display

    # compiled -------------------------------------------------------------
    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators] + [a.code for a in self.aggregates]

    @property
    def root(self) -> Aggregate:
        return self.aggregates[-1]

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def node_weights(self) -> np.ndarray:
        return np.array([i.weight for i in self.indicators] + [a.weight for a in self.aggregates], float)

    def children_index(self) -> list[np.ndarray]:
        pos = {c: k for k, c in enumerate(self.codes)}
        return [np.array([pos[c] for c in a.children]) for a in self.aggregates]

    def aggregate_methods(self) -> list[str]:
        return [a.aggregate.get("method", "arithmetic") for a in self.aggregates]

    def unverified_items(self) -> list[dict[str, Any]]:
        nodes: list[Indicator | Aggregate | Bonus] = [*self.indicators, *self.aggregates, *self.bonus]
        items = [{"code": n.code, "name": n.name, "reason": n.reason} for n in nodes if n.unverified]
        return items


def _merge(default: dict[str, Any], override: dict[str, Any] | None) -> dict[str, Any]:
    return {**default, **(override or {})}


def _check(spec: dict[str, Any], allowed: set[str], what: str, where: str) -> dict[str, Any]:
    method = spec.get("method", "none")
    if method not in allowed:
        raise MethodologyError(f"{where}：未知的{what}方法 {method}（可选：{'、'.join(sorted(allowed))}）")
    return spec


def parse(doc: dict[str, Any]) -> Methodology:
    for key in ("id", "name", "source", "unit_key", "tree"):
        if key not in doc:
            raise MethodologyError(f"评价方法文件缺少字段 {key}")
    d = doc.get("defaults") or {}
    defaults = {
        "impute": _check(_merge({"method": "none"}, d.get("impute")), IMPUTE, "插补", "defaults"),
        "treat": _check(_merge({"method": "none"}, d.get("treat")), TREAT, "异常值处理", "defaults"),
        "normalise": _check(_merge({"method": "minmax", "low": 0, "high": 100}, d.get("normalise")),
                            NORMALISE, "标准化", "defaults"),
        "aggregate": _check(_merge({"method": "arithmetic"}, d.get("aggregate")), AGGREGATE, "加总", "defaults"),
    }
    group_keys = list(doc.get("group_keys") or [])
    indicators: list[Indicator] = []
    aggregates: list[Aggregate] = []
    seen: set[str] = set()

    def walk(node: dict[str, Any]) -> str:
        code = str(node.get("code", ""))
        if not code or code in seen:
            raise MethodologyError(f"指标代码为空或重复：{code!r}")
        seen.add(code)
        weight = float(node.get("weight", 1))
        if not math.isfinite(weight) or weight < 0:
            raise MethodologyError(f"{code}：权重必须是非负数")
        common: dict[str, Any] = {"unverified": bool(node.get("unverified", False)), "reason": str(node.get("reason", ""))}
        if node.get("children"):
            children = [walk(c) for c in node["children"]]
            spec = _check(_merge(defaults["aggregate"], node.get("aggregate")), AGGREGATE, "加总", code)
            aggregates.append(Aggregate(code, str(node.get("name", code)), weight, spec, children, **common))
            return code
        direction = int(node.get("direction", 1))
        if direction not in (1, -1):
            raise MethodologyError(f"{code}：方向只能是 1 或 -1")
        impute = _check(_merge(defaults["impute"], node.get("impute")), IMPUTE, "插补", code)
        if impute["method"].startswith("group_"):
            impute.setdefault("group", group_keys[0] if group_keys else None)
            if impute["group"] is None:
                raise MethodologyError(f"{code}：分组插补需要 group_keys")
        norm = node.get("normalise")
        normalise = _merge(defaults["normalise"], norm) if norm and norm.get("method") in (
            None, defaults["normalise"]["method"]) else (norm or defaults["normalise"])
        _check(normalise, NORMALISE, "标准化", code)
        if normalise["method"] == "goalposts" and not {"lower", "upper"} <= normalise.keys():
            raise MethodologyError(f"{code}：目标值法需要 lower 和 upper")
        if normalise["method"] == "ratio" and "benchmark" not in normalise:
            raise MethodologyError(f"{code}：比值法需要 benchmark")
        unit = str(node.get("unit", ""))
        bounds = node.get("bounds") or [None, None]
        indicators.append(Indicator(
            code=code, name=str(node.get("name", code)), unit=unit, direction=direction, weight=weight,
            column=str(node.get("column", code)), denominator=node.get("denominator"),
            impute=impute,
            treat=_check(_merge(defaults["treat"], node.get("treat")), TREAT, "异常值处理", code),
            normalise=normalise,
            difficulty=float(node.get("difficulty", 1.0)), max_change=float(node.get("max_change", 0.5)),
            bounds=(bounds[0], bounds[1]), integer=bool(node.get("integer", unit in COUNT_UNITS)),
            **common,
        ))
        return code

    top = [walk(n) for n in doc["tree"]]
    if not indicators:
        raise MethodologyError("评价方法没有任何指标")
    if len(top) > 1 or top[0] not in {a.code for a in aggregates}:
        root = doc.get("root") or {}
        code = str(root.get("code", "index"))
        if code in seen:
            raise MethodologyError(f"根节点代码 {code} 与指标重复")
        aggregates.append(Aggregate(code, str(root.get("name", "综合得分")), 1.0, defaults["aggregate"], top))
    bonus = [
        Bonus(code=str(b["code"]), name=str(b.get("name", b["code"])), column=str(b.get("column", b["code"])),
              points_per_unit=float(b["points_per_unit"]), max=None if b.get("max") is None else float(b["max"]),
              unverified=bool(b.get("unverified", False)), reason=str(b.get("reason", "")))
        for b in doc.get("bonus") or []
    ]
    screen = {"min_coverage": 0.0, "on": "imputed", **(doc.get("screen") or {})}
    return Methodology(
        id=str(doc["id"]), name=str(doc["name"]), version=str(doc.get("version", "1")),
        source=json.loads(json.dumps(doc["source"], default=str)), unit_key=str(doc["unit_key"]), name_key=doc.get("name_key"),
        group_keys=group_keys, defaults=defaults, screen=screen, reference=doc.get("reference"),
        indicators=indicators, aggregates=aggregates, bonus=bonus,
        uncertainty=dict(doc.get("uncertainty") or {}), raw=doc,
    )


def load(id_or_path: str | Path) -> Methodology:
    """Load a shipped methodology by id (e.g. `mofcom-2021`) or any YAML file by path."""
    path = Path(id_or_path)
    if not path.suffix:
        path = METHODOLOGY_DIR / f"{id_or_path}.yaml"
    if not path.is_file():
        shipped = "、".join(available())
        raise MethodologyError(f"找不到评价方法 {id_or_path}（内置：{shipped}）")
    with path.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    if doc.get("extends"):  # reuse another methodology's tree; this file's keys override
        base = load(doc["extends"]).raw
        doc = {**{k: v for k, v in base.items() if k != "extends"}, **doc}
    return parse(doc)


def available() -> list[str]:
    return sorted(p.stem for p in METHODOLOGY_DIR.glob("*.yaml"))


# ---------------------------------------------------------------- COINr / COIN Tool meta table


def from_coinr(meta_csv: str | Path, *, id: str, name: str | None = None, source: dict[str, Any] | None = None,
               unit_key: str = "uCode", name_key: str | None = "uName", defaults: dict[str, Any] | None = None,
               screen: dict[str, Any] | None = None) -> dict[str, Any]:
    """A methodology document from a COINr iMeta table (Level, iCode, iName, Direction, Weight, Unit,
    Target, Denominator, Parent, Type). The build choices (impute, treat, …) are not in the table:
    pass them as `defaults` and `screen`."""
    with Path(meta_csv).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    need = {"iCode", "iName", "Parent", "Type", "Weight", "Direction"}
    if not rows or not need <= rows[0].keys():
        raise MethodologyError(f"COINr 元数据表缺少列：{'、'.join(sorted(need - set(rows[0] if rows else [])))}")

    def num(text: str, default: float) -> float:
        return float(text) if str(text).strip() not in ("", "NA") else default

    nodes = [r for r in rows if r["Type"] in ("Indicator", "Aggregate")]
    kids: dict[str, list[dict[str, Any]]] = {}
    for r in nodes:
        kids.setdefault(r["Parent"].strip(), []).append(r)

    def node(r: dict[str, Any]) -> dict[str, Any]:
        out = {"code": r["iCode"], "name": r["iName"], "weight": num(r["Weight"], 1.0)}
        if r["Type"] == "Aggregate":
            out["children"] = [node(c) for c in kids.get(r["iCode"], [])]
            return out
        out["direction"] = int(num(r["Direction"], 1))
        if r.get("Unit", "").strip():
            out["unit"] = r["Unit"]
        if r.get("Denominator", "").strip() not in ("", "NA"):
            out["denominator"] = r["Denominator"]
        if r.get("Target", "").strip() not in ("", "NA"):
            out["target"] = num(r["Target"], 0.0)
        return out

    roots = [r for r in nodes if r["Parent"].strip() in ("", "NA")]
    doc = {
        "id": id,
        "name": name or (roots[0]["iName"] if len(roots) == 1 else id),
        "version": "1",
        "source": source or {"document": f"COINr meta table {Path(meta_csv).name}", "notes": "由 from-coinr 生成"},
        "unit_key": unit_key,
        "group_keys": [r["iCode"] for r in rows if r["Type"] == "Group"],
        "defaults": defaults or {},
        "screen": screen or {"min_coverage": 0.0},
        "tree": [node(r) for r in roots],
    }
    if name_key:
        doc["name_key"] = name_key
    parse(doc)  # validate what we write
    return doc
