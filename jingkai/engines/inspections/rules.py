"""The inspection rules as data: a versioned YAML file with provenance (sampling ratios per credit class, frequency
caps with their exemption cases, scheduling capacity). A rule change is a new file, never an edit."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parent / "rules"
DEFAULT = "inspections-example-2026b"
CLASSES = ("A", "B", "C", "D")
UNCLASSIFIED = "未分类"


class RulesError(ValueError):
    """The rule file is unusable; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class Rules:
    id: str
    version: str
    ratios: dict[str, Fraction]  # per credit class, "未分类" included
    per_department: dict[str, dict[str, Fraction]]
    undisturbed_classes: frozenset[str]
    per_level_cap: int
    cumulative_cap: int
    default_level: str
    exemptions: dict[str, str]  # code → 个案情形
    capacity: int  # visits per department per working day
    inspector_capacity: int  # visits one inspector may join per working day (0: not limited, older files)
    inspectors_per_visit: int
    publication_days: int
    special_quota: int  # 专项检查 plans a department may have approved per year (54号: 年度数量控制)
    frequent_visits: int  # 高频入企预警: this many visits (all departments) within `window_days` or more
    window_days: int
    digest: str  # sha256 of the file's content as loaded

    def ratio(self, department: str, credit_class: str) -> Fraction:
        return self.per_department.get(department, {}).get(credit_class, self.ratios[credit_class])


def _fraction(value: Any, where: str) -> Fraction:
    try:
        ratio = Fraction(str(value))
    except (ValueError, ZeroDivisionError) as exc:
        raise RulesError(f"规则文件中{where}的抽查比例“{value}”不是数字") from exc
    if not 0 <= ratio <= 1:
        raise RulesError(f"规则文件中{where}的抽查比例“{value}”应在 0 与 1 之间")
    return ratio


def load(source: str | Path = DEFAULT) -> Rules:
    """A rule set by id (a file in rules/) or by path."""
    path = Path(source)
    if not path.suffix:
        path = RULES_DIR / f"{source}.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"无法读取规则文件 {path}：{exc}") from exc
    try:
        sampling, caps, schedule = raw["sampling"], raw["caps"], raw["schedule"]
        ratios = {c: _fraction(sampling["classes"][c]["ratio"], f" {c} 类") for c in CLASSES}
        ratios[UNCLASSIFIED] = ratios[sampling.get("unclassified_as", "B")]
        per_dept = {str(d): {str(c): _fraction(r, f"{d} {c} 类") for c, r in (over or {}).items()}
                    for d, over in (sampling.get("per_department") or {}).items()}
        return Rules(
            id=str(raw["id"]), version=str(raw["version"]), ratios=ratios, per_department=per_dept,
            undisturbed_classes=frozenset(sampling.get("undisturbed_classes") or ()),
            per_level_cap=int(caps["per_level_per_year"]), cumulative_cap=int(caps["cumulative_per_year"]),
            default_level=str(caps.get("default_level", "园区")),
            exemptions={str(k): str(v) for k, v in (caps.get("exemptions") or {}).items()},
            capacity=int(schedule["visits_per_department_per_day"]),
            inspector_capacity=int(schedule.get("visits_per_inspector_per_day", 0)),
            inspectors_per_visit=int(schedule.get("inspectors_per_visit", 2)),
            publication_days=int(schedule.get("publication_working_days", 20)),
            special_quota=int((raw.get("plans") or {}).get("special_quota_per_department_per_year", 0)),
            frequent_visits=int((raw.get("warnings") or {}).get("frequent_visits", 0)),
            window_days=int((raw.get("warnings") or {}).get("window_days", 90)),
            digest=hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest(),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, RulesError):
            raise
        raise RulesError(f"规则文件 {path} 缺少或写错了项目：{exc}") from exc
