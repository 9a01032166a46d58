"""Gaps of one zone on one chain: per link the local enterprises, a status by the catalogue's `status_rule`
(missing / risk / weak / strong / covered, first that holds in `order`), the rule in words and the firms
behind it; chain completeness = share of the key links (all links where none is key) that are not missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .catalogue import Catalogue, Chain, Link


@dataclass(frozen=True)
class Firm:
    uscc: str
    name: str
    above_scale: bool = False
    revenue: float | None = None  # 万元
    chain_leader: bool = False
    specialized: bool = False  # 专精特新中小企业 or 小巨人
    confirmed_on: dt.date | None = None  # when the zone last confirmed this firm's place on the link


@dataclass(frozen=True)
class LinkGap:
    link: Link
    status: str
    label: str
    rule: str
    firms: tuple[Firm, ...]
    revenue: float
    revenue_share: float | None
    last_confirmed: dt.date | None

    @property
    def enterprises(self) -> int:
        return len(self.firms)

    @property
    def above_scale(self) -> int:
        return sum(f.above_scale for f in self.firms)

    @property
    def chain_leaders(self) -> tuple[Firm, ...]:
        return tuple(f for f in self.firms if f.chain_leader)

    @property
    def specialized(self) -> tuple[Firm, ...]:
        return tuple(f for f in self.firms if f.specialized)

    def as_dict(self) -> dict[str, Any]:
        return {"link": self.link.code, "name": self.link.name, "stage": self.link.stage, "key": self.link.key,
                "status": self.status, "status_label": self.label, "enterprises": self.enterprises,
                "above_scale": self.above_scale, "revenue": round(self.revenue, 2),
                "revenue_share": None if self.revenue_share is None else round(self.revenue_share, 4),
                "chain_leaders": [f.name for f in self.chain_leaders],
                "specialized": [f.name for f in self.specialized], "rule": self.rule,
                "firms": [f.uscc for f in self.firms],
                "last_confirmed": self.last_confirmed.isoformat() if self.last_confirmed else None}


@dataclass(frozen=True)
class ChainGap:
    chain: Chain
    links: tuple[LinkGap, ...]

    @property
    def completeness(self) -> float:
        key = {link.code for link in self.chain.key_links}
        counted = [g for g in self.links if g.link.code in key]
        return sum(g.status != "missing" for g in counted) / len(counted) if counted else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"chain": self.chain.code, "name": self.chain.name, "completeness": round(self.completeness, 4),
                "key_links": len(self.chain.key_links), "links": [g.as_dict() for g in self.links]}


def rule_texts(rule: Mapping[str, Any]) -> dict[str, str]:
    values = {**rule, "weak_revenue_share_pct": f"{float(rule['weak_revenue_share']):.0%}"}
    return {k: str(v).format(**values) for k, v in rule["text"].items()}


def _status(firms: Sequence[Firm], share: float | None, rule: Mapping[str, Any]) -> tuple[str, str]:
    """(status, why): the first status of `order` that holds, and the part of its rule that made it hold."""
    texts = rule_texts(rule)
    above = any(f.above_scale for f in firms)
    for status in map(str, rule["order"]):
        if status == "missing" and not firms:
            return status, texts[status]
        if status == "risk" and 0 < len(firms) <= int(rule["risk_max_enterprises"]):
            return status, texts[status]
        if status == "weak" and firms and not above:
            return status, "没有规上企业（均为规下企业）"
        if status == "weak" and firms and share is not None and share < float(rule["weak_revenue_share"]):
            return status, (f"环节营业收入占全链本地营业收入的 {share:.2%}，低于 "
                            f"{float(rule['weak_revenue_share']):.0%}")
        if status == "strong" and above and any(f.chain_leader or f.specialized for f in firms):
            return status, texts[status]
        if status == "covered" and firms:
            return status, texts[status]
    return "covered", texts.get("covered", "")


def chain_gaps(catalogue: Catalogue, chain: Chain, firms_by_link: Mapping[str, Sequence[Firm]]) -> ChainGap:
    rule = catalogue.params["status_rule"]
    labels = rule["labels"]
    revenue = {link.code: sum(f.revenue or 0.0 for f in firms_by_link.get(link.code, ())) for link in chain.links}
    distinct = {f.uscc: f for link in chain.links for f in firms_by_link.get(link.code, ())}
    total = sum(f.revenue or 0.0 for f in distinct.values())
    out = []
    for link in chain.links:
        firms = tuple(sorted(firms_by_link.get(link.code, ()), key=lambda f: (-(f.revenue or 0.0), f.name)))
        share = revenue[link.code] / total if total > 0 else None
        status, why = _status(firms, share, rule)
        dates = [f.confirmed_on for f in firms if f.confirmed_on]
        out.append(LinkGap(link, status, str(labels.get(status, status)), why, firms,
                           revenue[link.code], share, max(dates) if dates else None))
    return ChainGap(chain, tuple(out))
