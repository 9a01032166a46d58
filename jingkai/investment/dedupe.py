"""Duplicate-company warning: is a new lead's company one the pipeline already follows, by 全称 or 简称?

Names are reduced to their core (no 有限公司/股份有限公司/集团 suffix, no leading 省/市 name, no brackets)
and compared with rapidfuzz: a short name contained in a long one (宁德时代 in 宁德时代新能源科技股份有限公司)
scores 100 with partial_ratio; near-identical full names score high with ratio."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

THRESHOLD = 85.0
SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "股份公司", "公司", "厂")
REGION = re.compile(r"^(中国|甘肃省?|兰州市?|[\u4e00-\u9fa5]{2,3}省|[\u4e00-\u9fa5]{2,3}市)")
BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def core(name: str) -> str:
    text = BRACKETS.sub("", name.strip()).replace(" ", "")
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text, changed = text[: -len(suffix)], True
    stripped = REGION.sub("", text)
    return stripped if len(stripped) >= 2 else text


def similarity(a: str, b: str) -> float:
    ca, cb = core(a), core(b)
    if not ca or not cb:
        return 0.0
    if min(len(ca), len(cb)) >= 2 and (ca in cb or cb in ca):
        return 100.0
    return max(fuzz.ratio(ca, cb), fuzz.partial_ratio(ca, cb) if min(len(ca), len(cb)) >= 4 else 0.0)


@dataclass(frozen=True)
class Match:
    key: int
    name: str
    score: float


def matches(name: str, candidates: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> list[Match]:
    """The candidates (id, company name) whose name looks like `name`, best first."""
    found = [Match(key, other, round(similarity(name, other), 1)) for key, other in candidates]
    return sorted((m for m in found if m.score >= threshold), key=lambda m: -m.score)
