"""Visit records: the 20-working-day publication rule across 国庆 with 调休 (2025-09-26 → 2025-10-30, the
boundary on time), the overdue list, results entry by who inspected, the monthly zone report's figures, the
enterprise page's calendar with its 高频入企 warning at exactly k visits, and the 检查通知书 / 结果公示 outputs."""

import datetime as dt
import io

from openpyxl import load_workbook

from jingkai.accounts.scope import PROVINCE
from jingkai.enterprises.models import Enterprise
from jingkai.inspections import demo, selectors
from jingkai.inspections.models import Draw, Visit
from jingkai.pdfcheck import page_number_problems, read, render
from jingkai.testing import make_user

DEPT = "省市场监督管理局"
RULES = selectors.engine.load()


def visit(no, ent, day, depts=(DEPT,), **extra):
    return Visit.objects.create(visit_no=no, enterprise=ent, zone=ent.zone, departments=list(depts), visited_on=day,
                                **extra)


def test_publication_status_across_national_day(site_data):
    ent = Enterprise.objects.filter(zone=site_data["GS-LZ"]).first()
    on_time = visit("V1", ent, dt.date(2025, 9, 26), published_on=dt.date(2025, 10, 30), result="ok")
    late = visit("V2", ent, dt.date(2025, 9, 26), published_on=dt.date(2025, 10, 31), result="ok")
    open_ = visit("V3", ent, dt.date(2025, 9, 26))
    research = visit("V4", ent, dt.date(2025, 9, 26), kind=Visit.Kind.NON_ENFORCEMENT)
    assert selectors.publish_by(open_, RULES) == dt.date(2025, 10, 30)
    assert selectors.publication_status(on_time, dt.date(2025, 11, 5), RULES) == selectors.ON_TIME
    assert selectors.publication_status(late, dt.date(2025, 11, 5), RULES) == selectors.LATE
    assert selectors.publication_status(open_, dt.date(2025, 10, 30), RULES) == selectors.DUE
    assert selectors.publication_status(open_, dt.date(2025, 10, 31), RULES) == selectors.OVERDUE
    assert selectors.publication_status(research, dt.date(2026, 1, 1), RULES) == selectors.NOT_NEEDED


def test_overdue_list_and_results_entry(client, site_data, lz_zone_user, jc_zone_user):
    ent = Enterprise.objects.filter(zone=site_data["GS-LZ"]).first()
    overdue = visit("V-OVERDUE", ent, dt.date(2025, 9, 26), items=["SJ-002"])
    visit("V-DONE", ent, dt.date(2025, 9, 26), published_on=dt.date(2025, 10, 9), result="ok")
    client.force_login(lz_zone_user)
    page = client.get("/inspections/visits/?overdue=1").content.decode()
    assert "V-OVERDUE" in page and "V-DONE" not in page and "逾期未公示" in page and "None" not in page
    bad = client.post(f"/inspections/visits/{overdue.pk}/", {"result": "", "published_on": "2025-11-03"})
    assert "公示前须先录入检查结果" in bad.content.decode()
    client.post(f"/inspections/visits/{overdue.pk}/", {"result": "rectify", "result_text": "限期整改",
                                                         "published_on": "2025-11-03"})
    overdue.refresh_from_db()
    assert overdue.result == "rectify" and overdue.published_on == dt.date(2025, 11, 3)
    assert "逾期公示" in client.get(f"/inspections/visits/{overdue.pk}/").content.decode()
    # another zone's committee does not see it; a department not on the visit reads it but may not enter
    client.force_login(jc_zone_user)
    assert client.get(f"/inspections/visits/{overdue.pk}/").status_code == 404
    client.force_login(make_user("env-clerk", "dept-sthjt"))
    assert "录入检查结果" not in client.get(f"/inspections/visits/{overdue.pk}/").content.decode()
    assert client.post(f"/inspections/visits/{overdue.pk}/", {"result": "ok"}).status_code == 403
    client.force_login(make_user("scjg-clerk", "dept-scjgj"))  # the inspecting department may
    assert "录入检查结果" in client.get(f"/inspections/visits/{overdue.pk}/").content.decode()
    book = load_workbook(io.BytesIO(client.get("/inspections/visits/results.xlsx").content))
    rows = [r for r in book["结果公示"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert {r[1] for r in rows} == {"V-OVERDUE", "V-DONE"} and any("逾期公示" in r[11] for r in rows)


def test_visit_list_pages_to_the_last_record_and_exports_the_filtered_list(client, site_data, lz_zone_user):
    ents = list(Enterprise.objects.filter(zone=site_data["GS-LZ"]).order_by("uscc")[:2])
    day = dt.date(2025, 3, 3)
    Visit.objects.bulk_create(
        Visit(visit_no=f"V-{n:04d}", enterprise=ents[n % 2], zone=ents[0].zone, departments=[DEPT],
              visited_on=day + dt.timedelta(n // 40), published_on=day + dt.timedelta(n // 40 + 5), result="ok")
        for n in range(620))  # more than the old 500-row cap
    client.force_login(lz_zone_user)
    first = client.get("/inspections/visits/").content.decode()
    assert "共 620 条" in first and "V-0000" in first and "V-0619" not in first
    last = client.get("/inspections/visits/?size=100&page=7").content.decode()
    assert "第 601—620 条" in last and "V-0619" in last and "V-0600" in last and "V-0599" not in last
    newest = client.get("/inspections/visits/?sort=visited_on&dir=desc").content.decode()
    assert "V-0619" in newest and "V-0000" not in newest
    found = client.get(f"/inspections/visits/?q={ents[1].uscc}").content.decode()
    assert "共 310 条" in found and "V-0001" in found and "V-0000" not in found
    export = client.get(f"/inspections/visits/?q={ents[1].uscc}&sort=visit_no&dir=desc&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [r for r in sheet.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("V-")]
    assert len(values) == 310 and values[0][0] == "V-0619" and values[-1][0] == "V-0001"  # every page, sorted
    assert {r[1] for r in values} == {ents[1].name} and "按时公示" in values[0]
    assert "没有符合条件的检查记录" in client.get("/inspections/visits/?q=不存在的企业").content.decode()


def test_zone_month_report_figures(site_data):
    zone = site_data["GS-LZ"]
    firms = list(Enterprise.objects.filter(zone=zone).order_by("uscc"))
    Enterprise.objects.filter(pk__in=[f.pk for f in firms[:10]]).update(credit_class="A")
    Enterprise.objects.filter(pk__in=[f.pk for f in firms[10:]]).update(credit_class="B")
    visit("T1", firms[0], dt.date(2025, 10, 9), depts=(DEPT, "省生态环境厅"))  # joint, an A firm
    visit("T2", firms[10], dt.date(2025, 10, 20))
    visit("T3", firms[11], dt.date(2025, 9, 1), published_on=dt.date(2025, 9, 10), result="ok")  # on time
    visit("T4", firms[12], dt.date(2025, 9, 2))  # due in September, never published
    visit("T5", firms[12], dt.date(2025, 10, 21), kind=Visit.Kind.NON_ENFORCEMENT)  # not an inspection
    visit("T6", firms[13], dt.date(2025, 11, 3))  # after the month
    for n, day in enumerate((dt.date(2024, 10, 8), dt.date(2024, 10, 9), dt.date(2024, 3, 1), dt.date(2024, 11, 1))):
        visit(f"L{n}", firms[20 + n], day)
    r = selectors.zone_month(zone, 2025, 10)
    assert (r.visits_month, r.visits_month_last_year, r.visits_ytd, r.visits_ytd_last_year) == (2, 2, 4, 3)
    assert r.non_enforcement_ytd == 1
    assert r.joint_rate == 0.25 and r.change == 1 / 3
    assert (r.due_for_publication, r.published_on_time) == (2, 1)  # T1 (due 11-06) and T2 not yet due
    assert (r.a_firms, r.a_not_visited) == (10, 9) and r.a_not_visited_share == 0.9
    assert r.per_class == [("A", 10, 1, 0.1), ("B", 60, 3, 0.05)]


def test_calendar_warns_at_exactly_k_visits_in_the_window(site_data):
    ent = Enterprise.objects.filter(zone=site_data["GS-LZ"]).first()
    today = dt.date(2026, 11, 25)
    k, window = RULES.frequent_visits, RULES.window_days
    assert (k, window) == (3, 90)  # the shipped default (待确认)
    visit("C0", ent, today - dt.timedelta(window))  # just outside the window
    for n in range(k - 1):
        visit(f"C{n + 1}", ent, today - dt.timedelta(10 + n), exemption="complaint" if n else "")
    cal = selectors.enterprise_calendar(ent, today)
    assert cal.recent == k - 1 and not cal.warn
    assert cal.caps == [(DEPT, 2, RULES.per_level_cap)]  # C0 and C1 count; C2 is a 投诉举报 case
    visit("C9", ent, today - dt.timedelta(window - 1), kind=Visit.Kind.NON_ENFORCEMENT)  # 非执法 counts here
    cal = selectors.enterprise_calendar(ent, today)
    assert cal.recent == k and cal.warn


def test_enterprise_page_shows_the_calendar(client, site_data, lz_zone_user):
    ent = Enterprise.objects.filter(zone=site_data["GS-LZ"]).first()
    today = dt.date.today()
    for n in range(3):
        visit(f"E{n}", ent, today - dt.timedelta(5 + n), exemption="complaint" if n == 2 else "")
    client.force_login(lz_zone_user)
    page = client.get(f"/enterprises/{ent.uscc}/").content.decode()
    assert "入企检查日历" in page and "高频入企预警" in page and "12345/信访投诉举报" in page and "None" not in page


def test_notice_is_a_gongwen_with_departments_items_and_inspectors(client, site_data, lz_zone_user, tmp_path):
    demo.build(7, dt.date(2026, 11, 25))
    draw = Draw.objects.get(zone=site_data["GS-LZ"])
    joint = next(v for v in draw.result["visits"] if len(v["departments"]) > 1)
    client.force_login(lz_zone_user)
    response = client.get(f"/inspections/draws/{draw.pk}/notice/{joint['uscc']}.docx")
    assert response.status_code == 200
    pages = read(render(response.content, ".docx", tmp_path, "notice"))
    assert not page_number_problems(pages)
    text = "".join(p.text for p in pages)
    name = Enterprise.objects.get(uscc=joint["uscc"]).name
    for part in ("涉企行政检查通知书", f"{name}：", "综合查一次", str(draw.seed), "执法证号", "回避", "20个工作日",
                 *joint["departments"]):
        assert part in text.replace("\n", ""), part
    assert client.get(f"/inspections/draws/{draw.pk}/notice/91620100000000000X.docx").status_code == 404


def test_demo_stands_as_a_zone_really_does_and_the_report_shows_it(site_data):
    today = dt.date(2026, 11, 25)
    demo.build(7, today)
    draws = list(Draw.objects.order_by("zone__code"))
    first = draws[0].zone
    overdue = [r.visit.visit_no for r in selectors.visit_rows(PROVINCE, today, overdue_only=True)]
    assert len(overdue) == 1 and overdue[0].startswith(first.code)  # the one overdue publication
    rows = selectors.visit_rows(PROVINCE, today)
    waiting = [r for r in rows if r.status == selectors.DUE]
    assert waiting and any(r.visit.result for r in waiting) and any(not r.visit.result for r in waiting)
    r = selectors.zone_month(first, today.year, today.month)
    assert 0 < r.planned_done < r.planned  # planned visits not done yet: completion below 100%
    assert r.completion_rate is not None and 0.5 <= r.completion_rate < 1
    assert r.publication_rate is not None and r.published_on_time < r.due_for_publication
    assert all(d.result["scheduler"] == "highs-mip/1" for d in draws)  # the integer-model schedule
