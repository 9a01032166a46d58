"""Target companies for a zone's missing and weak links: link fit (the assignment score of the target on that
link: industry code + product words), list membership (the best of its lists: 世界500强 …) and transfer
origin (headquarters in an eastern or central province: 承接产业转移), every factor in `why`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .assign import Assigner, Enterprise
from .gaps import ChainGap

GAP_STATUSES = ("missing", "weak")


@dataclass(frozen=True)
class ListEntry:
    list: str  # fortune_global_500, china_500, private_500, industry_top100, listed
    year: int | None = None
    rank: int | None = None


@dataclass(frozen=True)
class Target:
    name: str
    uscc: str = ""
    hq_region: str = ""  # province, e.g. 江苏省
    industry_code: str = ""
    main_products: str = ""
    lists: tuple[ListEntry, ...] = ()
    demo: bool = False


def _region_group(hq_region: str, groups: dict[str, Sequence[str]]) -> str | None:
    for group, provinces in groups.items():
        if any(hq_region.startswith(p) or hq_region.startswith(p.rstrip("省市")) for p in provinces if p):
            return group
    return None


def rank(assigner: Assigner, gaps: Iterable[ChainGap], targets: Sequence[Target]) -> list[dict[str, Any]]:
    """[{name, uscc, chain, link, link_name, status, score, why, demo}] best first within each link."""
    p = assigner.catalogue.params["targets"]
    points, labels = p["list_points"], p["list_labels"]
    out: list[dict[str, Any]] = []
    for gap in gaps:
        for lg in gap.links:
            if lg.status not in GAP_STATUSES:
                continue
            ranked: list[dict[str, Any]] = []
            for t in targets:
                fit = assigner.score_link(Enterprise(t.uscc or t.name, t.name, t.industry_code, t.main_products),
                                          lg.link.code)
                if fit is None:
                    continue
                why = [f"环节匹配 {fit.score:.2f}：{'；'.join(fit.why)}"]
                best = max(t.lists, key=lambda e: float(points.get(e.list, 0.0)), default=None)
                list_pts = float(points.get(best.list, 0.0)) if best else 0.0
                if best and list_pts:
                    detail = "".join([f"{best.year}年" if best.year else "", f"第{best.rank}位" if best.rank else ""])
                    why.append(f"{labels.get(best.list, best.list)}{f'（{detail}）' if detail else ''}（+{list_pts:.2f}）")
                group = _region_group(t.hq_region, p["transfer_regions"])
                transfer = float(p["transfer_points"]) if group else 0.0
                if group:
                    why.append(f"总部在{group}地区（{t.hq_region}），属承接产业转移来源（+{transfer:.2f}）")
                score = round(fit.score + list_pts + transfer, 3)
                ranked.append({"name": t.name, "uscc": t.uscc, "chain": gap.chain.code, "link": lg.link.code,
                               "link_name": lg.link.name, "status": lg.status, "score": score, "why": why,
                               "demo": t.demo})
            ranked.sort(key=lambda r: (-r["score"], r["name"]))
            out.extend(ranked[: int(p["max_per_link"])])
    return out
