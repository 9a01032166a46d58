"""Typed views of a stored evaluation run's JSON (`EvaluationRun.result`, `.sensitivity`): what pages,
exports and the CLI read instead of dict lookups. Built once per run object (see `EvaluationRun.units`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

GROUP_KEY = "region"  # the group column of the zone methodologies: east / central / west / northeast


@dataclass(frozen=True)
class UnitResult:
    """One unit's record in a run (the JSON shape of `jingkai evaluate`)."""

    unit: str
    name: str
    score: float | None
    rank: int | None
    bonus: float | None
    scores: Mapping[str, float | None]  # aggregate code → score
    group_ranks: Mapping[str, int | None]
    groups: Mapping[str, str]
    indicators: Mapping[str, Mapping[str, float | None]]  # indicator code → raw / treated / normalised / contribution

    @property
    def region(self) -> str | None:
        return self.groups.get(GROUP_KEY)

    @property
    def region_rank(self) -> int | None:
        return self.group_ranks.get(GROUP_KEY)

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> UnitResult:
        return cls(unit=rec["unit"], name=rec.get("name", rec["unit"]), score=rec.get("score"), rank=rec.get("rank"),
                   bonus=rec.get("bonus"), scores=MappingProxyType(dict(rec.get("scores") or {})),
                   group_ranks=MappingProxyType(dict(rec.get("group_ranks") or {})),
                   groups=MappingProxyType(dict(rec.get("groups") or {})),
                   indicators=MappingProxyType(dict(rec.get("indicators") or {})))


@dataclass(frozen=True)
class UnitSensitivity:
    """A unit's Monte Carlo figures: the national rank's median and 5%–95% interval, and the probability of
    falling into its region's bottom five."""

    median_rank: float
    rank_interval: tuple[float, float]
    bottom5_probability: float | None

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> UnitSensitivity:
        lo, hi = rec["rank_interval"]
        return cls(median_rank=rec["median_rank"], rank_interval=(lo, hi),
                   bottom5_probability=rec.get("bottom5_probability"))


@dataclass(frozen=True)
class ChangedValue:
    """One input changed in a what-if: its column, name and unit, the stored value and the new one."""

    column: str
    name: str
    unit: str
    from_value: float | None
    to_value: float | None


@dataclass(frozen=True)
class WhatIf:
    """A zone's score and ranks after changing some of its inputs (the other zones keep theirs)."""

    before: UnitResult
    score: float
    rank: int
    region_rank: int | None
    scores: Mapping[str, float | None]
    rows: tuple[ChangedValue, ...]
