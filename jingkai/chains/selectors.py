"""Reading the chains domain, always through the user's scope: an enterprise's links, a zone's gaps per chain
(by the catalogue's status rule), the province's zone × chain matrix and the target list of a zone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from jingkai.accounts.scope import Scope
from jingkai.chains.exports import GapRow, LinkTeam, gap_rows
from jingkai.chains.models import ChainLeader, LeaderPurchase, LinkAssignment, TargetCompany
from jingkai.chains.services import DEFAULT_CATALOGUE, assigner, catalogue
from jingkai.engines.chains import ChainGap, Firm, ListEntry, Target, chain_gaps, rank
from jingkai.enterprises.models import Enterprise, EnterpriseFinance, EnterpriseTag
from jingkai.registry import provided
from jingkai.zones.models import Zone
from jingkai.zones.selectors import ZoneSection

SPECIALIZED = (EnterpriseTag.Tag.SPECIALIZED_SME, EnterpriseTag.Tag.LITTLE_GIANT)


@dataclass(frozen=True)
class LinkRow:
    assignment: LinkAssignment
    chain_name: str
    link_name: str
    stage: str


@dataclass(frozen=True)
class EnterpriseLinks:
    catalogue_label: str
    rows: tuple[LinkRow, ...]
    can_decide: bool
    choices: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (chain name, ((link code, name), …))


def enterprise_links(scope: Scope, enterprise: Enterprise, catalogue_id: str = DEFAULT_CATALOGUE) -> EnterpriseLinks:
    cat = catalogue(catalogue_id)
    links = cat.links
    rows = []
    for a in LinkAssignment.objects.filter(enterprise=enterprise, catalogue=catalogue_id).order_by("decision", "-score"):
        link = links.get(a.link)
        if link is not None:
            rows.append(LinkRow(a, cat.chain(link.chain).name, link.name, link.stage))
    choices = tuple((c.name, tuple((link.code, f"{link.name}（{link.stage}）") for link in c.links)) for c in cat.chains)
    return EnterpriseLinks(cat.label, tuple(rows), scope.can_write_zone(enterprise.zone_id), choices)


def enterprise_section(scope: Scope, enterprise: Enterprise) -> ZoneSection:
    """The enterprise page's panel (extension point enterprises.page_sections)."""
    return ZoneSection("chains/_enterprise_section.html", enterprise_links(scope, enterprise))


def _latest_revenue(enterprise_ids: Sequence[int]) -> dict[int, float]:
    latest = dict(EnterpriseFinance.objects.filter(enterprise_id__in=enterprise_ids).values_list("enterprise_id")
                  .annotate(y=Max("year")))
    out: dict[int, float] = {}
    for eid, year, revenue, main in EnterpriseFinance.objects.filter(enterprise_id__in=enterprise_ids).values_list(
            "enterprise_id", "year", "revenue", "main_revenue"):
        if latest.get(eid) == year:
            out[eid] = float(revenue if revenue is not None else (main or 0.0))
    return out


def firms_by_link(scope: Scope, zone_ids: Sequence[int], catalogue_id: str,
                  today: dt.date | None = None) -> dict[int, dict[str, list[Firm]]]:
    """{zone id: {link code: [Firm]}} from the assignments that count (not rejected)."""
    today = today or dt.date.today()
    rows = list(scope.filter(LinkAssignment.objects.filter(catalogue=catalogue_id, enterprise__zone_id__in=zone_ids)
                             .exclude(decision=LinkAssignment.Decision.REJECTED), "enterprise__zone")
                .values_list("enterprise_id", "enterprise__zone_id", "enterprise__uscc", "enterprise__name",
                             "enterprise__above_scale", "chain", "link", "decision", "decided_at"))
    ids = sorted({r[0] for r in rows})
    # a department not set to read enterprises' finances sees the firms without their revenue
    revenue = _latest_revenue(ids) if scope.reads_table(EnterpriseFinance.key()) else {}
    specialized = set(EnterpriseTag.objects.filter(enterprise_id__in=ids, tag__in=SPECIALIZED).exclude(
        valid_to__lt=today).exclude(valid_from__gt=today).values_list("enterprise_id", flat=True))
    leaders = set(ChainLeader.objects.filter(catalogue=catalogue_id, enterprise_id__in=ids).values_list(
        "enterprise_id", "chain"))
    out: dict[int, dict[str, list[Firm]]] = defaultdict(lambda: defaultdict(list))
    for eid, zid, uscc, name, above, chain, link, decision, decided_at in rows:
        confirmed = decided_at.date() if decided_at and decision == LinkAssignment.Decision.CONFIRMED else None
        out[zid][link].append(Firm(uscc, name, above, revenue.get(eid), (eid, chain) in leaders, eid in specialized,
                                   confirmed))
    return out


def zone_gaps(scope: Scope, zone: Zone, catalogue_id: str = DEFAULT_CATALOGUE,
              chain_code: str | None = None) -> list[ChainGap]:
    cat = catalogue(catalogue_id)
    firms = firms_by_link(scope, [zone.id], catalogue_id).get(zone.id, {})
    chains = [cat.chain(chain_code)] if chain_code else list(cat.chains)
    return [chain_gaps(cat, chain, firms) for chain in chains]


def gaps_report(scope: Scope, zone: Zone, catalogue_id: str = DEFAULT_CATALOGUE,
                chain_code: str | None = None) -> dict[str, Any]:
    """The JSON of `jingkai chains gaps` and of the API."""
    cat = catalogue(catalogue_id)
    return {"zone": zone.code, "zone_name": zone.name, "catalogue": cat.summary(),
            "chains": [g.as_dict() for g in zone_gaps(scope, zone, catalogue_id, chain_code)]}


@dataclass(frozen=True)
class MatrixCell:
    chain: str
    completeness: float
    missing: int  # key links without a local enterprise
    firms: int

    @property
    def percent(self) -> int:
        return round(self.completeness * 100)

    @property
    def level(self) -> int:
        """0 none, 1 under half, 2 half or more, 3 complete: the cell's shade."""
        return 0 if self.completeness == 0 else 3 if self.completeness >= 1 else 2 if self.completeness >= 0.5 else 1


@dataclass(frozen=True)
class MatrixRow:
    zone: Zone
    cells: tuple[MatrixCell, ...]  # one per chain of the catalogue


def matrix(scope: Scope, catalogue_id: str = DEFAULT_CATALOGUE) -> list[MatrixRow]:
    """Every Gansu zone of the scope × every chain of the catalogue: completeness and missing key links."""
    cat = catalogue(catalogue_id)
    zones = list(scope.filter(Zone.objects.filter(province="甘肃省"), "self").order_by("code"))
    firms = firms_by_link(scope, [z.id for z in zones], catalogue_id)
    out = []
    for zone in zones:
        cells = []
        for chain in cat.chains:
            gap = chain_gaps(cat, chain, firms.get(zone.id, {}))
            key = {link.code for link in chain.key_links}
            missing = sum(1 for g in gap.links if g.link.code in key and g.status == "missing")
            cells.append(MatrixCell(chain.code, gap.completeness, missing,
                                    len({f.uscc for g in gap.links for f in g.firms})))
        out.append(MatrixRow(zone, tuple(cells)))
    return out


def _int(v: Any) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def target_entries(t: TargetCompany) -> tuple[ListEntry, ...]:
    """The lists of a target: {list, year, rank} or "list:year:rank" (as imported)."""
    entries = []
    for e in t.lists or []:
        if isinstance(e, dict) and e.get("list"):
            entries.append(ListEntry(str(e["list"]), _int(e.get("year")), _int(e.get("rank"))))
        elif isinstance(e, str) and e.strip():
            name, year, rank = ([*e.strip().split(":"), "", ""])[:3]
            entries.append(ListEntry(name, _int(year), _int(rank)))
    return tuple(entries)


def zone_targets(scope: Scope, zone: Zone, catalogue_id: str = DEFAULT_CATALOGUE,
                 chain_code: str | None = None) -> list[dict[str, Any]]:
    """Targets for every missing or weak link of the zone, best first per link, every factor in `why`."""
    targets = [Target(t.name, t.uscc, t.hq_region, t.industry_code, t.main_products, target_entries(t), t.demo)
               for t in TargetCompany.objects.order_by("name")]
    return rank(assigner(catalogue_id), zone_gaps(scope, zone, catalogue_id, chain_code), targets)


def committee_name(zone: Zone) -> str:
    """Who answers for a zone's 补链清单 and signs it: its management committee."""
    return zone.committee.name if zone.committee else f"{zone.name}管委会"


def zone_gap_list(scope: Scope, zone: Zone, catalogue_id: str = DEFAULT_CATALOGUE) -> list[GapRow]:
    """The rows of the zone's 补链清单: its missing and weak links with suggested targets and the team."""
    cat = catalogue(catalogue_id)
    leaders: dict[str, list[str]] = defaultdict(list)
    for chain_code, name in ChainLeader.objects.filter(catalogue=catalogue_id, enterprise__zone=zone).order_by(
            "enterprise__name").values_list("chain", "enterprise__name"):
        leaders[chain_code].append(name)
    return gap_rows(zone_gaps(scope, zone, catalogue_id), zone_targets(scope, zone, catalogue_id),
                    committee_name(zone), leaders, link_teams(zone)) if cat.chains else []


# zone -> iterable of (label, coverage codes): the teams that answer for the zone's links (investment provides
# its 招商小分队/专班); chains never imports the provider.
LINK_TEAMS = "chains.link_teams"


def link_teams(zone: Zone) -> list[LinkTeam]:
    return [LinkTeam(label, tuple(coverage)) for provider in provided(LINK_TEAMS) for label, coverage in provider(zone)]


@dataclass(frozen=True)
class LocalSupply:
    """本地配套率 of a 链主 in its latest year with purchase data."""

    year: int
    local: float  # 万元
    total: float  # 万元
    suppliers: int

    @property
    def rate(self) -> float | None:
        return self.local / self.total if self.total else None


def local_supply(leader_ids: Sequence[int]) -> dict[int, LocalSupply]:
    """{链主 id: its latest year's local purchases over all purchases}; a 链主 without purchase data is absent."""
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for lid, year, amount, is_local in LeaderPurchase.objects.filter(leader_id__in=leader_ids).values_list(
            "leader_id", "year", "amount", "local"):
        acc = sums[(lid, year)]
        acc[0] += amount if is_local else 0.0
        acc[1] += amount
        acc[2] += 1
    out: dict[int, LocalSupply] = {}
    for (lid, year), (local, total, n) in sorted(sums.items()):
        out[lid] = LocalSupply(year, local, total, int(n))  # sorted by year: the latest stays
    return out


def chain_names(catalogue_id: str = DEFAULT_CATALOGUE) -> list[tuple[str, str]]:
    """(code, name) of the catalogue's chains, each followed by its links as ("链/环节", "链 · 环节"), in catalogue
    order (extension point investment.chain_names: the pipeline names chains and links, never shows codes)."""
    out = []
    for c in catalogue(catalogue_id).chains:
        out.append((c.code, c.name))
        out += [(f"{c.code}/{link.code}", f"{c.name} · {link.name}") for link in c.links]
    return out
