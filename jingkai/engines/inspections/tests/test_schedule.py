"""The 综合查一次 schedule as an integer model (HiGHS) against the greedy it replaces, on small hand-made cases.

Each hard constraint has a case where the greedy (balanced first-fit on department load, inspectors drawn after
the dates are fixed) books fewer drawn (enterprise, department) pairs with a full team than the optimum, and the
model finds the optimum; `violations` checks every constraint on both plans."""

import dataclasses
import datetime as dt
import json
from collections import Counter
from fractions import Fraction

import polars as pl

from jingkai.engines import inspections as eng
from jingkai.engines.inspections import schedule as S
from jingkai.engines.inspections.plan import _roster
from jingkai.engines.inspections.tests.test_plan import (
    Q4,
    RULES,
    enterprises,
    firms,
    items,
    roster,
    visits_table,
)

DAY1, DAY2 = dt.date(2025, 10, 9), dt.date(2025, 10, 10)
DAYS = [DAY1, DAY2]
LATER = dt.date(2030, 12, 31)


def joint(**visits: str) -> S.Joint:
    """U0="AB" → U0 drawn by departments A and B (items A-1, B-1)."""
    return {u: (set(ds), {f"{d}-1" for d in ds}) for u, ds in visits.items()}


def people(**depts: list[tuple[str, dt.date | None, str]]) -> dict[str, list[S.Person]]:
    return {d: [S.Person(p, until, frozenset(c.split(";")) if c else frozenset()) for p, until, c in ps]
            for d, ps in depts.items()}


def booked(out: S.Schedule) -> int:
    """Drawn (enterprise, department) pairs on a dated visit with a full team."""
    short = {(u["uscc"], u["department"]) for u in out.unstaffed}
    return sum(1 for v in out.visits for d in v["departments"] if (v["uscc"], d) not in short)


def violations(out: S.Schedule, plan: S.Joint, limits: S.Limits, staff: dict[str, list[S.Person]] | None) -> Counter:
    bad: Counter = Counter()
    bad["one visit per enterprise"] = len(out.visits) - len({v["uscc"] for v in out.visits})
    per_dept = Counter((d, v["date"]) for v in out.visits for d in v["departments"])
    bad["department capacity"] = sum(n > limits.capacity for n in per_dept.values())
    bad["items"] = sum(set(v["items"]) != plan[v["uscc"]][1] or set(v["departments"]) != plan[v["uscc"]][0]
                       for v in out.visits)
    if staff is None:
        return +bad
    who = {(d, p.id): p for d, ps in staff.items() for p in ps}
    short = {(u["uscc"], u["department"]) for u in out.unstaffed}
    per_person: Counter = Counter()
    for v in out.visits:
        day = dt.date.fromisoformat(v["date"])
        for d in v["departments"]:
            team = v["inspectors"].get(d, [])
            if (v["uscc"], d) in short:
                continue
            bad["two inspectors of the department"] += len(set(team)) != limits.per_visit or any(
                (d, p) not in who for p in team)
            for p in team:
                person = who.get((d, p))
                bad["valid 执法证"] += person is None or person.until is None or person.until < day
                bad["回避"] += person is not None and v["uscc"] in person.conflicts
                per_person[p, day] += 1
    bad["inspector capacity"] = sum(n > (limits.inspector_capacity or limits.capacity) for n in per_person.values())
    return +bad


def compare(plan: S.Joint, limits: S.Limits, staff=None, days=DAYS) -> tuple[S.Schedule, S.Schedule]:
    greedy = S.greedy(plan, days, limits, staff, seed=1)
    model = S.schedule(plan, days, limits, staff, seed=1)
    assert model.info["scheduler"] == S.MODEL and model.info["fallback"] == ""
    assert violations(model, plan, limits, staff) == Counter() and model.unstaffed == []
    return greedy, model


def test_department_capacity_the_model_books_more_draws_than_first_fit():
    # one visit per department per day, two days. First-fit puts the biggest joint visits first (U4, then U0 on
    # day 2) and leaves A, B, C with nothing more; the optimum takes U1 (A) and U2 (B, C) on day 2 instead of U0.
    plan = joint(U0="AB", U1="A", U2="BC", U3="B", U4="ABC")
    greedy, model = compare(plan, S.Limits(capacity=1, inspector_capacity=0, per_visit=2))
    assert violations(greedy, plan, S.Limits(1, 0, 2), None) == Counter()
    assert booked(greedy) == 5 and booked(model) == 6
    assert {v["uscc"]: v["date"] for v in model.visits} == {"U4": "2025-10-09", "U1": "2025-10-10",
                                                            "U2": "2025-10-10"}
    assert [u for u, _ in model.unscheduled] == ["U0", "U3"]


def test_inspector_daily_capacity_and_two_inspectors_of_each_department():
    # B's three inspectors may each join two visits a day: six places, three visits of two. First-fit puts U0,
    # U2 and U4 on day 1 and draws B0 and B2 for both U0 and U2, leaving only B1 for U4; the model deals the
    # places so that every visit has two distinct inspectors of each of its departments.
    staff = people(A=[("A0", LATER, ""), ("A1", LATER, "")],
                   B=[("B0", LATER, ""), ("B1", LATER, ""), ("B2", LATER, "")])
    plan = joint(U0="B", U1="B", U2="AB", U3="AB", U4="B")
    limits = S.Limits(capacity=9, inspector_capacity=2, per_visit=2)
    greedy, model = compare(plan, limits, staff)
    assert violations(greedy, plan, limits, staff) == Counter()  # the greedy breaks nothing: it reports U4 instead
    assert [(u["uscc"], u["department"]) for u in greedy.unstaffed] == [("U4", "B")]
    assert booked(greedy) == 6 and booked(model) == 7
    assert all(v["inspectors"]["A"] == ["A0", "A1"] for v in model.visits if "A" in v["departments"])
    assert Counter(v["date"] for v in model.visits if "B" in v["departments"]) == {"2025-10-09": 2, "2025-10-10": 3}


def test_a_certificate_expiring_inside_the_period_is_planned_around():
    # A0, A1 and A3's 执法证 expire after day 1: on day 2 department A has one inspector, no team. First-fit
    # spreads U0 and U1 over both days and cannot staff U1; the model puts both on day 1.
    staff = people(A=[("A0", DAY1, ""), ("A1", DAY1, ""), ("A2", LATER, ""), ("A3", DAY1, "")])
    plan = joint(U0="A", U1="A")
    limits = S.Limits(capacity=9, inspector_capacity=1, per_visit=2)
    greedy, model = compare(plan, limits, staff)
    assert [v["date"] for v in greedy.visits] == ["2025-10-09", "2025-10-10"] and greedy.unstaffed
    assert booked(greedy) == 1 and booked(model) == 2
    assert [v["date"] for v in model.visits] == ["2025-10-09", "2025-10-09"]
    assert sorted(p for v in model.visits for p in v["inspectors"]["A"]) == ["A0", "A1", "A2", "A3"]


def test_conflicts_are_respected_and_planned_around():
    # A has two inspectors, one visit a day; A1 must 回避 U1, so U1 cannot be inspected by A this period. First-fit
    # puts U0 and U2 on day 1 (U1 on day 2) and staffs only U0; the model leaves U1 out and gives U2 day 2.
    staff = people(A=[("A0", LATER, ""), ("A1", LATER, "U1")])
    plan = joint(U0="A", U1="A", U2="A")
    limits = S.Limits(capacity=9, inspector_capacity=1, per_visit=2)
    greedy, model = compare(plan, limits, staff)
    assert booked(greedy) == 1 and booked(model) == 2
    assert {v["uscc"]: v["date"] for v in model.visits} == {"U0": "2025-10-09", "U2": "2025-10-10"}
    assert [(u, "执法人员不足" in why) for u, why in model.unscheduled] == [("U1", True)]
    # and a 回避 inspector is never on the firm's team, under either scheduler
    for out in (greedy, model):
        assert all(not (v["uscc"] == "U1" and "A1" in v["inspectors"].get("A", [])) for v in out.visits)


def test_caps_hold_under_the_model_as_under_the_greedy():
    """Caps are applied to the pools and a joint visit books each department once, so neither scheduler can take
    a firm over its cap; here both give the same booking (no case where the greedy is worse)."""
    rows = firms(6, "D")
    its = items([("市场监管局", "SJ-001", "食品生产监督检查", "", "true"),
                 ("市场监管局", "SJ-002", "特种设备安全检查", "", "true")])
    done = visits_table([(rows[0][0], "市场监管局", "2025-03-01", "", ""), (rows[0][0], "市场监管局", "2025-06-01", "", ""),
                         (rows[1][0], "市场监管局", "2025-03-01", "", "")])
    full = dataclasses.replace(RULES, ratios={**RULES.ratios, "D": Fraction(1)})
    model = eng.plan(enterprises(rows), its, full, Q4, seed=3, visits=done)
    greedy = eng.plan(enterprises(rows), its, full, Q4, seed=3, visits=done, scheduler="greedy")
    booked_once = {v["uscc"]: v["items"] for v in model["visits"]}
    assert rows[0][0] not in booked_once  # at its cap of 2
    assert booked_once[rows[1][0]] == ["SJ-001", "SJ-002"]  # 1 before + one joint visit = 2, not 3
    assert model["scheduler"] == "highs-mip/1" and greedy["scheduler"] == "greedy-first-fit/1"
    assert [v["uscc"] for v in model["visits"]] == sorted(booked_once) == sorted(v["uscc"] for v in greedy["visits"])


def medium():
    rows = firms(160, "D", "C1311") + firms(160, "C", "C2614", prefix="916202")
    its = items([("市场监管局", "SJ-001", "食品生产监督检查", "C13", "true"),
                 ("市场监管局", "SJ-002", "特种设备安全检查", "", "true"),
                 ("应急管理局", "YJ-001", "危险化学品安全检查", "", "true"),
                 ("消防救援支队", "XF-001", "消防安全检查", "C26", "true")])
    avoid = {1: ";".join(r[0] for r in rows[:40:2]), 2: ";".join(r[0] for r in rows[161:200:2])}  # 回避
    staff = roster([(d, f"{d[:2]}{j}", f"甘执{j}", "2025-11-14" if j == 0 else "2030-12-31", avoid.get(j, ""))
                    for d in ("市场监管局", "应急管理局", "消防救援支队") for j in range(4)])
    tight = dataclasses.replace(RULES, capacity=3, inspector_capacity=1)
    return enterprises(rows), its, staff, tight


def test_same_inputs_and_seed_same_bytes_another_seed_other_teams_and_block_by_block_still_holds():
    ent, its, staff, tight = medium()
    one = eng.plan(ent, its, tight, Q4, seed=5, inspectors=staff)
    again = eng.plan(ent, its, tight, Q4, seed=5, inspectors=staff)
    assert json.dumps(one, ensure_ascii=False).encode() == json.dumps(again, ensure_ascii=False).encode()
    assert one["scheduler"] == "highs-mip/1" and one["summary"]["scheduler"]["exact"] is False  # candidate days
    other = eng.plan(ent, its, tight, Q4, seed=6, inspectors=staff)
    assert [v["inspectors"] for v in other["visits"]] != [v["inspectors"] for v in one["visits"]]
    # every hard constraint on the decomposed plan, and at least the greedy's bookings
    plan = {v["uscc"]: (set(v["departments"]), set(v["items"])) for v in one["visits"]}
    plan |= {u["uscc"]: (set(), set()) for u in one["summary"]["unscheduled"]}
    limits = S.Limits(tight.capacity, tight.inspector_capacity, tight.inspectors_per_visit)
    as_run = S.Schedule(one["visits"], [], [])
    assert violations(as_run, plan, limits, _roster(staff)) == Counter()
    greedy = eng.plan(ent, its, tight, Q4, seed=5, inspectors=staff, scheduler="greedy")
    short = {(u["uscc"], u["department"]) for u in greedy["summary"]["unstaffed"]}
    greedy_booked = sum(1 for v in greedy["visits"] for d in v["departments"] if (v["uscc"], d) not in short)
    assert sum(len(v["departments"]) for v in one["visits"]) >= greedy_booked


def test_the_greedy_takes_over_at_the_time_limit_and_the_plan_says_so():
    ent, its, staff, tight = medium()
    late = eng.plan(ent, its, tight, Q4, seed=5, inspectors=staff, time_limit=0)
    asked = eng.plan(ent, its, tight, Q4, seed=5, inspectors=staff, scheduler="greedy")
    assert late["scheduler"] == asked["scheduler"] == "greedy-first-fit/1"
    assert "超出求解时限" in late["summary"]["scheduler"]["fallback"]
    assert late["visits"] == asked["visits"] and late["draws"] == asked["draws"]
    assert pl.DataFrame(late["visits"]).group_by("date").len()["len"].max() <= 3 * 3
