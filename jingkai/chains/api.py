"""Chains over the API: the catalogue, a zone's gaps, its target list and an enterprise's links, through the
same scoped selectors as the pages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router

from jingkai.chains.models import LinkAssignment
from jingkai.chains.selectors import gaps_report, zone_targets
from jingkai.chains.services import DEFAULT_CATALOGUE, catalogue
from jingkai.enterprises.selectors import enterprise_get
from jingkai.zones.models import Zone

router = Router(tags=["产业链"])


def _zone(request, zone_code: str) -> Zone:
    return get_object_or_404(request.user.scope.filter(Zone.objects.all(), "self"), code=zone_code.upper())


@router.get("/catalogue", summary="产业链目录", response=dict[str, Any])
def get_catalogue(request, catalogue_id: str = DEFAULT_CATALOGUE):
    try:
        cat = catalogue(catalogue_id)
    except ValidationError:
        raise Http404("没有该目录") from None
    return {**cat.summary(), "label": cat.label, "provenance": {k: str(v) for k, v in cat.provenance.items()},
            "chains": [{"code": c.code, "name": c.name, "links": [
                {"code": link.code, "name": link.name, "stage": link.stage, "key": link.key,
                 "industry_codes": list(link.industry_codes), "keywords": list(link.keywords),
                 "supplies": list(link.supplies)} for link in c.links]} for c in cat.chains]}


@router.get("/gaps/{zone_code}", summary="园区补链分析", response=dict[str, Any])
def get_gaps(request, zone_code: str, chain: str | None = None):
    try:
        return gaps_report(request.user.scope, _zone(request, zone_code), chain_code=chain)
    except KeyError:
        raise Http404("没有该产业链") from None


@router.get("/targets/{zone_code}", summary="补链招商目标企业", response=dict[str, Any])
def get_targets(request, zone_code: str, chain: str | None = None):
    try:
        return {"zone": zone_code.upper(), "targets": zone_targets(request.user.scope, _zone(request, zone_code),
                                                                   chain_code=chain)}
    except KeyError:
        raise Http404("没有该产业链") from None


@router.get("/enterprises/{uscc}", summary="企业所属产业链环节", response=list[dict[str, Any]])
def get_enterprise_links(request, uscc: str):
    enterprise = enterprise_get(request.user.scope, uscc)
    return [{"chain": a.chain, "link": a.link, "score": a.score, "why": a.reasons, "source": a.source,
             "decision": a.decision or "pending", "decided_at": a.decided_at.isoformat() if a.decided_at else None}
            for a in LinkAssignment.objects.filter(enterprise=enterprise, catalogue=DEFAULT_CATALOGUE)
            .exclude(decision=LinkAssignment.Decision.REJECTED).order_by("-score")]
