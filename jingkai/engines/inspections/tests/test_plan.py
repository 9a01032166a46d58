"""The planning engine on small real-looking inputs: ratios at class edges, exclusions, caps with exemption
cases, reproducibility from the certificate, joint visits, working days across holidays with 调休."""

import dataclasses
import datetime as dt
from fractions import Fraction

import polars as pl
import pytest

from jingkai.engines import inspections as eng
from jingkai.engines.inspections.plan import draw_stratum

RULES = eng.load()
Q4 = eng.parse_period("2025Q4")


def enterprises(rows):
    cols = ["uscc", "name", "zone_code", "industry_code", "credit_class", "exempt", "key_supervision"]
    return pl.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], schema=dict.fromkeys(cols, pl.String))


def items(rows):
    cols = ["department", "item_code", "item_name", "applies_to", "published"]
    return pl.DataFrame([dict(zip(cols, r, strict=True)) for r in rows], schema=dict.fromkeys(cols, pl.String))


def firms(n, cls="B", industry="C2614", prefix="916201"):
    return [(f"{prefix}{i:012d}", f"企业{i}", "GS-LZ", industry, cls, "false", "false") for i in range(n)]


ONE_ITEM = items([("市场监管局", "SJ-002", "特种设备安全检查", "", "true")])


def test_sample_size_is_ceil_of_ratio_times_population_exactly():
    assert eng.sample_size(Fraction("0.05"), 100) == 5  # on the edge: not 6
    assert eng.sample_size(Fraction("0.05"), 101) == 6
    assert eng.sample_size(Fraction("0.07"), 100) == 7  # 0.07 × 100 in floats is 7.000000000000001
    assert eng.sample_size(Fraction("0.21"), 1) == 1
    assert eng.sample_size(Fraction("0.61"), 0) == 0


@pytest.mark.parametrize(("cls", "n", "expected"), [("B", 20, 1), ("B", 21, 2), ("C", 100, 21), ("C", 101, 22),
                                                     ("D", 100, 61), ("D", 3, 2)])
def test_draw_counts_per_credit_class(cls, n, expected):
    out = eng.plan(enterprises(firms(n, cls)), ONE_ITEM, RULES, Q4, seed=7)
    assert [(d["credit_class"], d["population"], d["drawn"]) for d in out["draws"]] == [(cls, n, expected)]
    assert len(out["visits"]) == expected


def test_rules_file_carries_provenance_and_the_point_values_used():
    assert RULES.ratios == {"A": Fraction("0.05"), "B": Fraction("0.05"), "C": Fraction("0.21"),
                            "D": Fraction("0.61"), "未分类": Fraction("0.05")}
    text = (eng.rules.RULES_DIR / "inspections-example-2025.yaml").read_text(encoding="utf-8")
    assert "林甸" in text and "待确认" in text and "effective_from" in text


def test_undisturbed_excluded_unless_key_supervision():
    rows = [("A1", "甲", "GS-LZ", "C2614", "A", "false", "false"),  # class A → 无事不扰
            ("A2", "乙", "GS-LZ", "C2614", "A", "false", "true"),  # class A but 重点监管 → in the pool
            ("B1", "丙", "GS-LZ", "C2614", "B", "true", "false"),  # on the 无事不扰 list
            ("D1", "丁", "GS-LZ", "C2614", "D", "false", "false")]
    out = eng.plan(enterprises(rows), ONE_ITEM, RULES, Q4, seed=1)
    assert {e["uscc"] for e in out["excluded"]} == {"A1", "B1"}
    assert {v["uscc"] for v in out["visits"]} == {"A2", "D1"}
    assert all(e["reason"] for e in out["excluded"])


def test_unpublished_item_is_never_scheduled_and_industry_scope_applies():
    its = items([("生态环境局", "HB-009", "排污许可执行检查", "", "false"),
                 ("应急管理局", "YJ-001", "危险化学品安全检查", "C26;C27", "true")])
    rows = firms(10, "D", "C2614") + firms(10, "D", "F5211", prefix="916202")
    out = eng.plan(enterprises(rows), its, RULES, Q4, seed=3)
    assert all("HB-009" not in v["items"] for v in out["visits"])
    assert out["summary"]["skipped_items"] == [{"department": "生态环境局", "item": "HB-009",
                                               "reason": "检查事项未经公布，不得实施"}]
    assert all(v["uscc"].startswith("916201") for v in out["visits"])  # only C26 firms
    assert out["draws"][0]["population"] == 10


def visits_table(rows):
    return pl.DataFrame([dict(zip(["uscc", "department", "date", "level", "exemption"], r, strict=True))
                         for r in rows])


def test_caps_exclude_firms_at_their_limit_but_exemption_cases_do_not_count():
    rows = firms(3, "D")
    a, b, c = (r[0] for r in rows)
    past = visits_table([(a, "市场监管局", "2025-03-02", "", ""), (a, "市场监管局", "2025-06-02", "", ""),  # 2 = cap
                         (b, "市场监管局", "2025-03-02", "", ""), (b, "市场监管局", "2025-06-02", "", "complaint"),
                         (c, "市场监管局", "2024-03-02", "", ""), (c, "市场监管局", "2024-06-02", "", "")])  # last year
    d = dataclasses.replace(RULES, ratios={**RULES.ratios, "D": Fraction(1)})
    out = eng.plan(enterprises(rows), ONE_ITEM, d, Q4, seed=5, visits=past)
    assert {v["uscc"] for v in out["visits"]} == {b, c}
    [ex] = out["excluded"]
    assert ex["uscc"] == a and "上限 2 次" in ex["reason"]
    # the cumulative cap counts every level of the department
    levels = visits_table([(b, "市场监管局", f"2025-0{m}-02", lvl, "") for m, lvl in
                           ((1, "省级"), (2, "市级"), (3, "县级"), (4, "省级"))])
    out = eng.plan(enterprises(rows), ONE_ITEM, d, Q4, seed=5, visits=levels)
    assert b not in {v["uscc"] for v in out["visits"]}
    assert "累计 4 次" in out["excluded"][0]["reason"]
    with pytest.raises(eng.DataError, match="个案检查清单"):
        eng.plan(enterprises(rows), ONE_ITEM, d, Q4, seed=5, visits=visits_table([(b, "市场监管局", "2025-01-02",
                                                                                    "", "看心情")]))


def test_same_seed_same_plan_other_seed_other_draw_and_certificate_reruns_one_stratum():
    rows = firms(400, "C")
    first = eng.plan(enterprises(rows), ONE_ITEM, RULES, Q4, seed=20251001)
    again = eng.plan(enterprises(list(reversed(rows))), ONE_ITEM, RULES, Q4, seed=20251001)  # input order irrelevant
    assert first == again
    other = eng.plan(enterprises(rows), ONE_ITEM, RULES, Q4, seed=20251002)
    assert {v["uscc"] for v in other["visits"]} != {v["uscc"] for v in first["visits"]}
    assert other["pool_hash"] == first["pool_hash"]  # same pool, another draw
    # the auditor's re-run from the certificate: seed + stratum key + sorted pool + counts → the same list
    cert = first["draws"][0]
    pool = sorted(r[0] for r in rows)
    picked = draw_stratum(first["seed"], (cert["department"], cert["item"], cert["credit_class"]),
                          cert["population"], cert["drawn"])
    assert sorted(pool[i] for i in picked) == sorted(v["uscc"] for v in first["visits"])
    assert len(picked) == 84  # ceil(0.21 × 400)


def test_draws_of_several_departments_become_one_joint_visit_per_firm():
    its = items([("市场监管局", "SJ-001", "食品生产监督检查", "C13", "true"),
                 ("市场监管局", "SJ-002", "特种设备安全检查", "", "true"),
                 ("应急管理局", "YJ-001", "危险化学品安全检查", "", "true"),
                 ("消防救援支队", "XF-001", "消防安全检查", "", "true")])
    rows = firms(50, "D", "C1311")
    out = eng.plan(enterprises(rows), its, RULES, Q4, seed=11)
    usccs = [v["uscc"] for v in out["visits"]]
    assert len(usccs) == len(set(usccs))  # at most one visit per firm in the window
    drawn_pairs = out["summary"]["visits_separate"]
    assert drawn_pairs == sum(len(v["departments"]) for v in out["visits"])
    assert out["summary"]["visits_joint"] == len(usccs) < drawn_pairs
    assert out["summary"]["reduction"] == round(1 - len(usccs) / drawn_pairs, 4)
    both = [v for v in out["visits"] if v["departments"] == ["市场监管局", "应急管理局", "消防救援支队"]]
    assert both and all({"YJ-001", "XF-001"} <= set(v["items"]) for v in both)


def test_daily_capacity_per_department_is_respected_and_overflow_reported():
    small = dataclasses.replace(RULES, capacity=1, ratios={**RULES.ratios, "D": Fraction(1)})
    out = eng.plan(enterprises(firms(70, "D")), ONE_ITEM, small, Q4, seed=2)
    per_day = pl.DataFrame(out["visits"]).group_by("date").len()
    assert per_day["len"].max() == 1
    assert len(out["visits"]) == out["period"]["working_days"] == 61
    assert len(out["summary"]["unscheduled"]) == 9
    assert all(eng.is_workday(dt.date.fromisoformat(v["date"])) for v in out["visits"])


def test_working_days_know_national_day_and_spring_festival_with_make_up_days():
    assert eng.is_workday(dt.date(2025, 9, 28))  # Sunday, 调休 working day
    assert not eng.is_workday(dt.date(2025, 10, 8))  # 国庆·中秋 holiday on a Wednesday
    assert eng.is_workday(dt.date(2025, 10, 11))  # Saturday, 调休
    # 20 working days from a visit on Friday 2025-09-26: across 10-01…10-08, with 09-28 and 10-11 worked
    assert eng.add_working_days(dt.date(2025, 9, 26), 20) == dt.date(2025, 10, 30)
    # 春节 2025: 01-28…02-04 off, 01-26 (Sun) and 02-08 (Sat) worked
    assert eng.add_working_days(dt.date(2025, 1, 24), 1) == dt.date(2025, 1, 26)
    assert eng.add_working_days(dt.date(2025, 1, 27), 1) == dt.date(2025, 2, 5)
    assert eng.working_days(dt.date(2025, 10, 1), dt.date(2025, 10, 12)) == [dt.date(2025, 10, d) for d in (9, 10, 11)]
    # a year the package does not know yet: Monday–Friday, and the plan says so
    assert eng.workdays.describe(dt.date(2027, 1, 1), dt.date(2027, 3, 31)).endswith("（待确认）")


def test_publication_deadline_is_twenty_working_days_after_the_visit():
    out = eng.plan(enterprises(firms(40, "D")), ONE_ITEM, RULES, eng.parse_period("2025-09"), seed=4)
    assert out["period"]["working_days"] == 23  # 22 weekdays and Sunday 09-28 (调休)
    for v in out["visits"]:
        assert v["publish_by"] == eng.add_working_days(dt.date.fromisoformat(v["date"]), 20).isoformat()
    by_date = {v["date"]: v["publish_by"] for v in out["visits"]}
    assert by_date["2025-09-26"] == "2025-10-30" and by_date["2025-09-28"] == "2025-10-31"


def roster(rows):
    return pl.DataFrame([dict(zip(["department", "person_id", "cert_no", "cert_valid_to", "conflicts"], r,
                                  strict=True)) for r in rows])


def test_inspectors_without_a_valid_certificate_or_with_a_conflict_are_never_drawn():
    rows = firms(20, "D")
    conflicted = rows[0][0]
    people = roster([("市场监管局", "P1", "甘执001", "2030-12-31", ""),
                     ("市场监管局", "P2", "甘执002", "2030-12-31", conflicted),
                     ("市场监管局", "P3", "", "2030-12-31", ""),  # no 执法证
                     ("市场监管局", "P4", "甘执004", "2025-09-30", ""),  # expired before the quarter
                     ("市场监管局", "P5", "甘执005", "2030-12-31", "")])
    full = dataclasses.replace(RULES, ratios={**RULES.ratios, "D": Fraction(1)})
    out = eng.plan(enterprises(rows), ONE_ITEM, full, Q4, seed=9, inspectors=people)
    drawn = {p for v in out["visits"] for team in v["inspectors"].values() for p in team}
    assert drawn <= {"P1", "P2", "P5"} and "P3" not in drawn and "P4" not in drawn
    mine = next(v for v in out["visits"] if v["uscc"] == conflicted)
    assert sorted(mine["inspectors"]["市场监管局"]) == ["P1", "P5"]
    assert all(len(team) == 2 for v in out["visits"] for team in v["inspectors"].values())
    two = people.filter(pl.col("person_id").is_in(["P1", "P2"]))
    thin = eng.plan(enterprises(rows), ONE_ITEM, full, Q4, seed=9, inspectors=two)
    # the model does not book a visit it cannot staff: the firm waits for the next period, with the reason
    assert thin["scheduler"] == "highs-mip/1" and thin["summary"]["unstaffed"] == []
    assert [(u["uscc"], "执法人员不足" in u["reason"]) for u in thin["summary"]["unscheduled"]] == [(conflicted, True)]
    # the greedy books it first and then finds no team
    rough = eng.plan(enterprises(rows), ONE_ITEM, full, Q4, seed=9, inspectors=two, scheduler="greedy")
    assert [u["uscc"] for u in rough["summary"]["unstaffed"]] == [conflicted]


def test_bad_inputs_are_reported_in_chinese():
    with pytest.raises(eng.DataError, match="缺少列"):
        eng.plan(enterprises(firms(2)).drop("credit_class"), ONE_ITEM, RULES, Q4, seed=1)
    with pytest.raises(eng.DataError, match="A、B、C、D"):
        eng.plan(enterprises(firms(2, "E")), ONE_ITEM, RULES, Q4, seed=1)
    with pytest.raises(eng.DataError, match="重复"):
        eng.plan(enterprises(firms(2) + firms(1)), ONE_ITEM, RULES, Q4, seed=1)
    with pytest.raises(eng.DataError, match="2027Q1"):
        eng.parse_period("2027-Q1")
