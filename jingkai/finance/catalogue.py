"""The catalogue of project categories and finance channels (`data/*.yaml`, versioned, with provenance).

Categories follow no official catalogue yet: each one says which measure it rests on and is marked 待确认
until it has been checked against the national 《绿色产业指导目录》; the pages show the mark."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
PENDING = "待确认"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    green: bool
    basis: str
    status: str
    official_ref: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status != PENDING


@dataclass(frozen=True)
class Channel:
    code: str
    name: str
    basis: str
    note: str = ""


@dataclass(frozen=True)
class Catalogue:
    id: str
    title: str
    version: str
    documents: tuple[str, ...]
    reliability: str
    categories: dict[str, Category]
    channels: dict[str, Channel]

    def category_name(self, code: str) -> str:
        found = self.categories.get(code)
        return found.name if found else f"未知类别（{code}）"

    def channel_names(self, codes: list[str]) -> list[str]:
        return [self.channels[c].name if c in self.channels else f"未知渠道（{c}）" for c in codes]


def _read(path: Path) -> Catalogue:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    prov = raw["provenance"]
    return Catalogue(
        id=raw["id"], title=raw["title"], version=str(raw["version"]), documents=tuple(prov["documents"]),
        reliability=prov["reliability"],
        categories={c["code"]: Category(c["code"], c["name"], bool(c["green"]), c["basis"], c["status"],
                                        c.get("official_ref")) for c in raw["categories"]},
        channels={c["code"]: Channel(c["code"], c["name"], c["basis"], c.get("note", "")) for c in raw["channels"]})


@cache
def catalogues() -> dict[str, Catalogue]:
    return {c.id: c for c in (_read(p) for p in sorted(DATA.glob("*.yaml")))}


def current() -> Catalogue:
    """The catalogue new projects are filed under: the highest version."""
    return max(catalogues().values(), key=lambda c: tuple(int(x) for x in c.version.split(".")))


def of(catalogue_id: str) -> Catalogue:
    """The catalogue a project was filed under (its codes read as they were meant then)."""
    return catalogues().get(catalogue_id) or current()
