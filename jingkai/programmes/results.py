"""Typed views of a stored programme run's summary JSON (`ProgrammeRun.summary`), built once per run object."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class ZoneSummary:
    """One zone's figures in a run: enterprises evaluated, eligible, undecided, per class and per score band."""

    n: int
    eligible: int
    undecided: int
    classes: Mapping[str, int]
    bands: Mapping[str, int]
    mean_score: float | None
    out_of_scope: int = 0  # enterprises outside the scheme's scope (e.g. 亩均: not industrial), not rated

    @classmethod
    def from_json(cls, z: Mapping[str, Any]) -> ZoneSummary:
        return cls(n=z.get("n", 0), eligible=z.get("eligible", 0), undecided=z.get("undecided", 0),
                   classes=MappingProxyType(dict(z.get("classes") or {})),
                   bands=MappingProxyType(dict(z.get("bands") or {})), mean_score=z.get("mean_score"),
                   out_of_scope=z.get("out_of_scope", 0))


EMPTY_ZONE = ZoneSummary(0, 0, 0, MappingProxyType({}), MappingProxyType({}), None)


@dataclass(frozen=True)
class RunSummary:
    """What the run evaluated: the rule file (title, version, kind, document, provisional/unverified marks) and
    the totals."""

    title: str
    program: str
    version: str
    kind: str
    document: str | None
    provisional: bool
    unverified: tuple[str, ...]  # items whose wording is not verified against the official text
    n: int
    eligible: int
    scope_rule: str | None = None  # the rule file's scope in words (亩均: 门类 B、C、D), None when it rates everyone

    @property
    def is_tier(self) -> bool:
        return self.kind == "tier"

    @classmethod
    def from_json(cls, s: Mapping[str, Any]) -> RunSummary:
        return cls(title=s.get("title", ""), program=s.get("program", ""), version=str(s.get("version", "")),
                   kind=s.get("kind", ""), document=s.get("document"), provisional=bool(s.get("provisional")),
                   unverified=tuple(s.get("unverified") or ()), n=s.get("n", 0), eligible=s.get("eligible", 0),
                   scope_rule=s.get("scope_rule"))
