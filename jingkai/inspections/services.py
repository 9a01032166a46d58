"""The draw of one zone and period, from the database through the pure engine, stored and audited."""

import datetime as dt
import json

import polars as pl
from django.db import transaction

from jingkai.audit.services import record
from jingkai.engines import inspections as engine
from jingkai.enterprises.models import Enterprise
from jingkai.inspections.models import Draw, InspectionItem, Inspector
from jingkai.zones.models import Zone


def frames(zone: Zone, today: dt.date) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The engine's inputs: the zone's enterprises, the items (published = announced by `today`), the roster."""
    ent = pl.DataFrame([{"uscc": e.uscc, "name": e.name, "zone_code": zone.code, "industry_code": e.industry_code,
                         "credit_class": e.credit_class, "exempt": "false", "key_supervision": "false"}
                        for e in Enterprise.objects.filter(zone=zone).order_by("uscc")],
                       schema=dict.fromkeys(engine.ENTERPRISE_COLUMNS, pl.String))
    items = pl.DataFrame([{"department": i.department, "item_code": i.item_code, "item_name": i.name,
                           "applies_to": i.applies_to,
                           "published": "true" if i.published_on and i.published_on <= today else "false"}
                          for i in InspectionItem.objects.all()],
                         schema=dict.fromkeys(engine.ITEM_COLUMNS, pl.String))
    roster = pl.DataFrame([{"department": p.department, "person_id": p.person_id, "cert_no": p.cert_no,
                            "cert_valid_to": p.cert_valid_to.isoformat() if p.cert_valid_to else "",
                            "conflicts": p.conflicts} for p in Inspector.objects.all()],
                          schema=dict.fromkeys([*engine.INSPECTOR_COLUMNS, "conflicts"], pl.String))
    return ent, items, roster


@transaction.atomic
def run_draw(user, zone: Zone, period: str, seed: int, today: dt.date) -> Draw:
    ent, items, roster = frames(zone, today)
    result = engine.plan(ent, items, engine.load(), engine.parse_period(period), seed, inspectors=roster)
    result = json.loads(json.dumps(result))  # exactly what the command would print
    draw = Draw.objects.create(zone=zone, period=period, seed=seed, pool_hash=result["pool_hash"],
                               algorithm=result["algorithm"], rules_id=result["rules"]["id"], result=result,
                               created_by=user if getattr(user, "pk", None) else None)
    summary = result["summary"]
    record(user, "create", "inspections.draw", draw.pk, after={
        "zone": zone.code, "period": period, "seed": seed, "pool_hash": draw.pool_hash,
        "visits": summary["visits_joint"], "separate": summary["visits_separate"]},
        note=f"{zone.name}{period}双随机抽取（种子 {seed}）")
    return draw
