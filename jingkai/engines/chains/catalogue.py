"""Chain catalogues: YAML files of chains → links (code, name, stage, GB/T 4754 code prefixes, product words),
with provenance. `parse` validates a file and names the chain, link and field of every problem, in Chinese.

The minimal shape of a file is `chains:` with `code`, `name`, `links:`; each link `code`, `name`, `stage`
(上游/中游/下游), `industry_codes`, `keywords`, optionally `key`, `parent`, `supplies`. Everything else
(id, title, provenance, the parameter blocks) is optional and defaults from `defaults.yaml`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE_DIR = Path(__file__).parent / "catalogues"
DEFAULTS_PATH = Path(__file__).parent / "defaults.yaml"
STAGES = ("上游", "中游", "下游")
INDUSTRY_PREFIX = re.compile(r"^[A-T](\d{2}|\d{3}|\d{4})?$")
LIST_SPLIT = re.compile(r"[;；、,，\s]+")

Spec = dict[str, Any]


class CatalogueError(ValueError):
    """A catalogue file that cannot be used; `problems` lists every problem found."""

    def __init__(self, where: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"{where}：" + "；".join(problems))


@dataclass(frozen=True)
class Link:
    code: str
    name: str
    stage: str
    chain: str
    industry_codes: tuple[str, ...]
    keywords: tuple[str, ...]
    key: bool = False
    parent: str | None = None
    supplies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chain:
    code: str
    name: str
    links: tuple[Link, ...]
    group: str = ""

    @property
    def key_links(self) -> tuple[Link, ...]:
        """The links completeness counts: those marked key, or all where none is."""
        marked = tuple(link for link in self.links if link.key)
        return marked or self.links


@dataclass(frozen=True)
class Catalogue:
    id: str
    title: str
    version: str
    level: str
    confirmed: bool
    status_label: str  # 待省工信厅确认 … shown wherever the catalogue is
    provenance: Spec
    chains: tuple[Chain, ...]
    params: Spec = field(repr=False, compare=False)  # assignment / status_rule / targets, defaults merged
    path: Path | None = None

    @property
    def links(self) -> dict[str, Link]:
        return {link.code: link for chain in self.chains for link in chain.links}

    def chain(self, code: str) -> Chain:
        for chain in self.chains:
            if chain.code == code:
                return chain
        raise KeyError(code)

    @property
    def label(self) -> str:
        """The catalogue as named on screen and in outputs: title, version, and 待确认 unless confirmed."""
        text = f"{self.title}（{self.version}版）"
        mark = self.status_label or "未经官方确认"
        return text if self.confirmed or mark in self.title else f"{text}【{mark}】"

    def summary(self) -> Spec:
        """The `catalogue` member of the command outputs."""
        return {"id": self.id, "title": self.title, "version": self.version, "confirmed": self.confirmed,
                "status": self.status_label if not self.confirmed else "已确认",
                "source": self.provenance.get("document", ""), "chains": len(self.chains),
                "links": sum(len(c.links) for c in self.chains)}


@cache
def defaults() -> Spec:
    data: Spec = yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8"))
    return data


def _merge(base: Spec, over: Spec) -> Spec:
    out = copy.deepcopy(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _strings(value: Any) -> list[str] | None:
    """A list of non-empty strings from a YAML list or a `;`/`、` separated string; None when neither."""
    if isinstance(value, str):
        return [s for s in LIST_SPLIT.split(value) if s]
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def _link(raw: Any, chain: str, where: str, problems: list[str]) -> Link | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}：环节应为键值表")
        return None
    code = str(raw.get("code") or "").strip()
    where = f"{where}环节 {code or '（未写代码）'}"
    ok = True
    for name in ("code", "name", "stage", "industry_codes", "keywords"):
        if raw.get(name) in (None, "", []):
            problems.append(f"{where}：缺少字段 {name}")
            ok = False
    if not ok:
        return None
    if raw["stage"] not in STAGES:
        problems.append(f"{where}：字段 stage 应为 上游、中游 或 下游，实为 {raw['stage']}")
        ok = False
    codes = _strings(raw["industry_codes"])
    if codes is None:
        problems.append(f"{where}：字段 industry_codes 应为行业代码列表")
        codes = []
        ok = False
    bad = [c for c in codes if not INDUSTRY_PREFIX.match(c.upper())]
    if bad:
        problems.append(f"{where}：字段 industry_codes 中 {'、'.join(bad)} 不是 GB/T 4754-2017 代码或代码前缀（如 C3841、C38）")
        ok = False
    words = _strings(raw["keywords"])
    if words is None:
        problems.append(f"{where}：字段 keywords 应为产品词列表")
        ok = False
    supplies = _strings(raw.get("supplies") or [])
    if supplies is None:
        problems.append(f"{where}：字段 supplies 应为环节代码列表")
        ok = False
    if "key" in raw and not isinstance(raw["key"], bool):
        problems.append(f"{where}：字段 key 应为 true 或 false")
        ok = False
    if not ok:
        return None
    return Link(code=code, name=str(raw["name"]).strip(), stage=raw["stage"], chain=chain,
                industry_codes=tuple(c.upper() for c in codes), keywords=tuple(words or ()),
                key=bool(raw.get("key", False)), parent=str(raw["parent"]) if raw.get("parent") else None,
                supplies=tuple(supplies or ()))


def parse(text: str, path: Path | None = None) -> Catalogue:
    where = path.name if path else "产业链目录"
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogueError(where, [f"不是有效的 YAML：{exc}"]) from exc
    if not isinstance(spec, dict) or not isinstance(spec.get("chains"), list) or not spec["chains"]:
        raise CatalogueError(where, ["缺少 chains（产业链列表）"])
    problems: list[str] = []
    chains: list[Chain] = []
    seen_chains: set[str] = set()
    seen_links: set[str] = set()
    for i, raw in enumerate(spec["chains"], 1):
        if not isinstance(raw, dict):
            problems.append(f"第 {i} 条产业链应为键值表")
            continue
        code = str(raw.get("code") or "").strip()
        cwhere = f"产业链 {code or f'第 {i} 条'}"
        for name in ("code", "name", "links"):
            if raw.get(name) in (None, "", []):
                problems.append(f"{cwhere}：缺少字段 {name}")
        if not code or not isinstance(raw.get("links"), list):
            continue
        if code in seen_chains:
            problems.append(f"{cwhere}：产业链代码重复")
        seen_chains.add(code)
        links = []
        for raw_link in raw["links"]:
            link = _link(raw_link, code, cwhere, problems)
            if link is None:
                continue
            if link.code in seen_links:
                problems.append(f"{cwhere}环节 {link.code}：环节代码在目录中重复")
            seen_links.add(link.code)
            links.append(link)
        chains.append(Chain(code, str(raw.get("name") or ""), tuple(links), str(raw.get("group") or "")))
    for chain in chains:
        own = {link.code for link in chain.links}
        for link in chain.links:
            if link.parent and link.parent not in own:
                problems.append(f"产业链 {chain.code}环节 {link.code}：字段 parent 指向本链没有的环节 {link.parent}")
            unknown = [s for s in link.supplies if s not in seen_links]
            if unknown:
                problems.append(f"产业链 {chain.code}环节 {link.code}：字段 supplies 指向目录中没有的环节 {'、'.join(unknown)}")
    params = _merge(defaults(), {k: spec[k] for k in ("assignment", "status_rule", "targets") if isinstance(spec.get(k), dict)})
    if not 0 < float(params["assignment"]["min_score"]):
        problems.append("assignment：字段 min_score 应大于 0")
    if problems:
        raise CatalogueError(where, problems)
    provenance = spec.get("provenance") if isinstance(spec.get("provenance"), dict) else {}
    confirmed = bool(spec.get("confirmed", False))
    return Catalogue(
        id=str(spec.get("id") or (path.stem if path else "catalogue")), title=str(spec.get("title") or "产业链目录"),
        version=str(spec.get("version") or "未注明版本"), level=str(spec.get("level") or ""), confirmed=confirmed,
        status_label=str(spec.get("status_label") or ("" if confirmed else "未经官方确认")),
        provenance=provenance or {}, chains=tuple(chains), params=params, path=path)


def load(path: Path) -> Catalogue:
    if not path.exists():
        raise CatalogueError(path.name, [f"文件不存在：{path}"])
    return parse(path.read_text(encoding="utf-8"), path)


@cache
def shipped() -> dict[str, Catalogue]:
    """The catalogues shipped with the platform, by id."""
    out: dict[str, Catalogue] = {}
    for p in sorted(CATALOGUE_DIR.glob("*.yaml")):
        cat = load(p)
        if cat.id in out:
            raise CatalogueError(p.name, [f"目录 id {cat.id} 重复"])
        out[cat.id] = cat
    return out
