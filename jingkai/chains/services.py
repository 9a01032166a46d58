"""Writes of the chains domain, each audited in the same transaction: the automatic assignment run (which
keeps every row a zone decided or added), a zone's confirmation, rejection or manual link, and the registries."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jingkai.accounts.authz import require
from jingkai.accounts.scope import PROVINCE, Scope
from jingkai.audit.services import record, record_bulk
from jingkai.chains import capabilities as caps
from jingkai.chains.models import ChainLeader, LeaderPurchase, LinkAssignment, TargetCompany
from jingkai.engines.chains import Assigner, Catalogue, Enterprise, shipped
from jingkai.enterprises.models import Enterprise as EnterpriseRow

MODEL = "chains.LinkAssignment"
DEFAULT_CATALOGUE = "gansu-key-chains"


def catalogue(catalogue_id: str = DEFAULT_CATALOGUE) -> Catalogue:
    try:
        return shipped()[catalogue_id]
    except KeyError:
        raise ValidationError(f"没有产业链目录 {catalogue_id}") from None


@cache
def assigner(catalogue_id: str = DEFAULT_CATALOGUE) -> Assigner:
    return Assigner(catalogue(catalogue_id))


def _key(uscc: str, link: str) -> str:
    return f"{uscc}/{link}"


def _values(row: LinkAssignment) -> dict[str, Any]:
    return {"catalogue": row.catalogue, "chain": row.chain, "link": row.link, "score": row.score,
            "reasons": row.reasons, "source": row.source, "decision": row.decision, "note": row.note}


def run_assignment(user: Any, catalogue_id: str = DEFAULT_CATALOGUE, *, scope: Scope | None = None,
                   progress: Callable[[int], object] | None = None) -> dict[str, int]:
    """Place every enterprise of the scope (default: the user's) on the catalogue's links. Undecided automatic
    rows are replaced; confirmed, rejected and manual rows stay as the zone left them (a link the zone
    rejected is not given again)."""
    if user is not None:  # None: a system run (the command line, the demo) over every zone
        require(user, caps.RUN_ASSIGNMENT)
    scope = scope or (user.scope if user is not None else PROVINCE)
    engine = assigner(catalogue_id)
    enterprises = list(scope.filter(EnterpriseRow.objects.all()).values_list(
        "id", "uscc", "name", "industry_code", "main_products"))
    ids = [e[0] for e in enterprises]
    with transaction.atomic():
        existing = LinkAssignment.objects.filter(catalogue=catalogue_id, enterprise_id__in=ids)
        stale = existing.filter(source=LinkAssignment.Source.AUTO, decision=LinkAssignment.Decision.PENDING)
        uscc_of = {e[0]: e[1] for e in enterprises}
        before = {(r.enterprise_id, r.link): r for r in stale}
        kept = set(existing.exclude(pk__in=[r.pk for r in before.values()]).values_list("enterprise_id", "link"))
        stale.delete()
        new: list[LinkAssignment] = []
        for n, (eid, uscc, name, code, products) in enumerate(enterprises, 1):
            for m in engine.assign(Enterprise(uscc, name, code, products)):
                if (eid, m.link) not in kept:
                    new.append(LinkAssignment(enterprise_id=eid, catalogue=catalogue_id, chain=m.chain, link=m.link,
                                              score=m.score, reasons=list(m.why)))
            if progress and n % 100 == 0:
                progress(100)
        LinkAssignment.objects.bulk_create(new, batch_size=2000)
        after = {(r.enterprise_id, r.link): r for r in new}
        changes = [(_key(uscc_of[k[0]], k[1]), before.get(k), after.get(k)) for k in before.keys() | after.keys()]
        changes = [c for c in changes if c[1] is None or c[2] is None or c[1].score != c[2].score]
        record_bulk(user, MODEL, pl.DataFrame({
            "action": ["update" if b and a else ("create" if a else "delete") for _, b, a in changes],
            "object_key": [k for k, _, _ in changes],
            "before": [json.dumps(_values(b), ensure_ascii=False) if b else None for _, b, _ in changes],
            "after": [json.dumps(_values(a), ensure_ascii=False) if a else None for _, _, a in changes],
        }, schema={"action": pl.String, "object_key": pl.String, "before": pl.String, "after": pl.String}),
            note=f"自动归链（{catalogue(catalogue_id).label}）")
    return {"enterprises": len(enterprises), "links": len(new), "kept": len(kept),
            "placed": len({a.enterprise_id for a in new} | {k[0] for k in kept})}


def _writable(user: Any, enterprise: EnterpriseRow) -> None:
    require(user, caps.CONFIRM_LINKS)
    if not user.scope.can_write_zone(enterprise.zone_id):
        raise PermissionDenied("只能确认本园区企业的产业链环节")


def decide(user: Any, assignment: LinkAssignment, decision: str, note: str = "") -> LinkAssignment:
    """A zone confirms or rejects one of its enterprises' links (kept across later runs)."""
    if decision not in (LinkAssignment.Decision.CONFIRMED, LinkAssignment.Decision.REJECTED):
        raise ValidationError("确认状态只能是已确认或已否定")
    _writable(user, assignment.enterprise)
    with transaction.atomic():
        row = LinkAssignment.objects.select_for_update().get(pk=assignment.pk)
        before = _values(row)
        row.decision, row.note = decision, note[:300]
        row.decided_by, row.decided_at = user, timezone.now()
        row.save(update_fields=["decision", "note", "decided_by", "decided_at"])
        record(user, "update", MODEL, _key(row.enterprise.uscc, row.link), before=before, after=_values(row),
               note=f"{row.get_decision_display()}：{note}"[:300])
    return row


def add_link(user: Any, enterprise: EnterpriseRow, link_code: str, note: str = "",
             catalogue_id: str = DEFAULT_CATALOGUE) -> LinkAssignment:
    """A zone places one of its enterprises on a link by hand (confirmed at once)."""
    _writable(user, enterprise)
    link = catalogue(catalogue_id).links.get(link_code)
    if link is None:
        raise ValidationError(f"产业链目录中没有环节 {link_code}")
    with transaction.atomic():
        row, created = LinkAssignment.objects.select_for_update().get_or_create(
            enterprise=enterprise, catalogue=catalogue_id, link=link.code,
            defaults={"chain": link.chain, "source": LinkAssignment.Source.MANUAL})
        before = None if created else _values(row)
        row.decision, row.note = LinkAssignment.Decision.CONFIRMED, note[:300]
        row.decided_by, row.decided_at = user, timezone.now()
        row.save()
        record(user, "create" if created else "update", MODEL, _key(enterprise.uscc, link.code), before=before,
               after=_values(row), note=f"人工归链：{note}"[:300])
    return row


def save_leader(user: Any, enterprise: EnterpriseRow, chain: str, *, since: dt.date | None = None,
                support_measures: str = "", review_year: int | None = None, annual_review: str = "",
                catalogue_id: str = DEFAULT_CATALOGUE, demo: bool = False) -> ChainLeader:
    require(user, caps.MANAGE_REGISTRY)
    catalogue(catalogue_id).chain(chain)
    with transaction.atomic():
        row, created = ChainLeader.objects.update_or_create(
            enterprise=enterprise, catalogue=catalogue_id, chain=chain,
            defaults={"since": since, "support_measures": support_measures, "review_year": review_year,
                      "annual_review": annual_review, "demo": demo})
        record(user, "create" if created else "update", "chains.ChainLeader", f"{enterprise.uscc}/{chain}",
               after={"since": str(since) if since else None, "support_measures": support_measures,
                      "review_year": review_year, "annual_review": annual_review})
    return row


@transaction.atomic
def save_purchase(user: Any, form: Any) -> LeaderPurchase:
    """A 链主's purchase from one supplier in a year, from its validated form: the 链主's zone must be the user's
    to write, before and after; audited with both states."""
    require(user, caps.MANAGE_PURCHASES)
    row: LeaderPurchase = form.instance
    before = None
    if row.pk:
        old = LeaderPurchase.objects.select_for_update().select_related("leader__enterprise").get(pk=row.pk)
        if not user.scope.can_write_zone(old.leader.enterprise.zone_id):
            raise PermissionDenied("您无权修改该链主的采购数据")
        before = _purchase_facts(old)
    if not user.scope.can_write_zone(row.leader.enterprise.zone_id):
        raise PermissionDenied("您无权登记该链主的采购数据")
    saved = form.save()
    record(user, "update" if before else "create", "chains.LeaderPurchase", saved.pk, before=before,
           after=_purchase_facts(saved))
    return saved


def _purchase_facts(row: LeaderPurchase) -> dict[str, Any]:
    return {"leader": f"{row.leader.enterprise.uscc}/{row.leader.chain}", "year": row.year, "supplier": row.supplier,
            "supplier_uscc": row.supplier_uscc, "amount": row.amount, "local": row.local}


def save_target(user: Any, **values: Any) -> TargetCompany:
    require(user, caps.MANAGE_REGISTRY)
    with transaction.atomic():
        row, created = TargetCompany.objects.update_or_create(name=values.pop("name"), defaults=values)
        record(user, "create" if created else "update", "chains.TargetCompany", row.pk, after=values)
    return row
