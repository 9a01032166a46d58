"""What a stored draw reads from the database besides the register: the monthly 信用风险分类 (the latest up to
the period's first month) and this year's 入企记录 (caps: two counted visits of a department at the zone level
close the year for it; an exemption case does not count; 非执法入企 is no inspection)."""

import datetime as dt

from jingkai.enterprises.models import Enterprise
from jingkai.inspections.models import CreditRating, InspectionItem, Inspector, Visit
from jingkai.inspections.services import run_draw

TODAY = dt.date(2026, 11, 25)
DEPT = "省市场监督管理局"


def setup(site_data):
    InspectionItem.objects.create(department=DEPT, item_code="SJ-002", name="特种设备", published_on=dt.date(2025, 6, 30))
    Inspector.objects.bulk_create(Inspector(department=DEPT, person_id=f"P{i}", name=f"人员{i}", cert_no=f"C{i}",
                                            cert_valid_to=dt.date(2028, 1, 1)) for i in range(3))
    Enterprise.objects.filter(zone=site_data["GS-LZ"]).update(credit_class="D")  # D: 61% are drawn
    return list(Enterprise.objects.filter(zone=site_data["GS-LZ"]).order_by("uscc"))


def visit(no, ent, day, **extra):
    return Visit.objects.create(visit_no=no, enterprise=ent, zone=ent.zone, departments=[DEPT], items=["SJ-002"],
                                visited_on=day, **extra)


def test_stored_visits_close_the_cap_unless_exempt(site_data):
    firms = setup(site_data)
    capped, exempt, research, last_year = firms[:4]
    for n, day in enumerate((dt.date(2026, 3, 2), dt.date(2026, 6, 1))):
        visit(f"A{n}", capped, day)
        visit(f"B{n}", exempt, day, exemption="complaint" if n else "")  # one counted, one 投诉举报
        visit(f"C{n}", research, day, kind=Visit.Kind.NON_ENFORCEMENT)
        visit(f"D{n}", last_year, day.replace(year=2025))
    draw = run_draw(None, site_data["GS-LZ"], "2026Q4", 11, TODAY)
    reasons = {e["uscc"]: e["reason"] for e in draw.result["excluded"]}
    assert "本级 2 次（上限 2 次）" in reasons[capped.uscc]
    assert not {exempt.uscc, research.uscc, last_year.uscc} & set(reasons)
    assert capped.uscc not in {v["uscc"] for v in draw.result["visits"]}
    population = sum(d["population"] for d in draw.result["draws"])
    assert population == len(firms) - 1


def test_monthly_credit_class_replaces_the_register(site_data):
    firms = setup(site_data)
    a_now, a_later = firms[:2]
    CreditRating.objects.create(enterprise=a_now, month="2026-09", credit_class="D")
    CreditRating.objects.create(enterprise=a_now, month="2026-10", credit_class="A")  # latest up to 2026-10: A
    CreditRating.objects.create(enterprise=a_later, month="2026-10", credit_class="D")
    CreditRating.objects.create(enterprise=a_later, month="2026-11", credit_class="A")  # after the period starts
    draw = run_draw(None, site_data["GS-LZ"], "2026Q4", 11, TODAY)
    excluded = {e["uscc"] for e in draw.result["excluded"]}
    assert a_now.uscc in excluded and a_later.uscc not in excluded  # A: 无事不扰; the November class is not yet known
