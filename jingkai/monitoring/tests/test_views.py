import io
from urllib.parse import unquote

import pytest
from docx import Document

from jingkai.jobs.models import Job
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.testing import make_user, run_queued_jobs
from jingkai.zones.models import Indicator, IndicatorValue


@pytest.fixture
def calendar(zones):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_output", "trade_total", "exports", "imports"]))
    cal.zones.set(zones.values())
    for zone, scale in ((zones["GS-LZ"], 1.2), (zones["GS-JC"], 0.8)):
        for period, factor in (("2025-09", 1.0), ("2026-09", scale)):
            for key, value in (("industrial_output", 1000), ("trade_total", 300), ("exports", 200), ("imports", 100)):
                IndicatorValue.objects.create(zone=zone, period=period, indicator=Indicator.objects.get(key=key),
                                              value=value * factor)
            Submission.objects.create(calendar=cal, zone=zone, period=period, state="approved",
                                      submitted_at="2026-10-05T10:00:00+08:00")
    return cal


@pytest.fixture
def draft(client, django_capture_on_commit_callbacks):
    """Post the draft form: the page hands the drafting to the job worker (jingkai.monitoring.jobs) and
    redirects to the job; run it as `jingkai worker` would, and return the job."""
    def post(data: dict) -> Job:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/monitoring/bulletins/", data)
        assert response.status_code == 302 and response["Location"].startswith("/jobs/")
        run_queued_jobs()
        return Job.objects.get(pk=int(response["Location"].split("/")[2]))

    return post


def test_dashboard_ranks_reviewed_zones(client, calendar, province_user):
    client.force_login(province_user)
    response = client.get("/monitoring/?period=2026-09")
    page = response.content.decode()
    assert "规模以上工业总产值" in page and "+20.0%" in page and "-20.0%" in page
    assert page.index("兰州经济技术开发区") < page.index("金昌经济技术开发区")
    series = {s.name: list(s.data) for s in response.context["dashboard"].chart.series}
    assert series["国家级经开区合计"] == [pytest.approx(0.0)]  # (1.2·1000 + 0.8·1000) / 2000 − 1


def test_zone_user_sees_its_own_row_only(client, calendar, lz_user):
    client.force_login(lz_user)
    page = client.get("/monitoring/submissions/").content.decode()
    assert "兰州经济技术开发区" in page and "金昌经济技术开发区" not in page
    other = Submission.objects.get(zone__code="GS-JC", period="2026-09")
    assert client.get(f"/monitoring/submissions/{other.pk}/").status_code == 404


def test_bulletin_drafted_published_and_downloaded_unchanged(client, calendar, province_user, lz_user, draft):
    client.force_login(province_user)
    job = draft({"period": "2026-09"})
    assert job.state == Job.State.DONE and job.message == "2026年1—9月经济运行通报草稿已生成", job.message
    bulletin = Bulletin.objects.get()
    client.force_login(lz_user)
    assert client.get(f"/monitoring/bulletins/{bulletin.pk}/download/").status_code == 404  # not published yet
    client.force_login(make_user("prov-checker", "province"))  # not the drafter
    client.post(f"/monitoring/bulletins/{bulletin.pk}/advance/", {"action": "review"})
    client.post(f"/monitoring/bulletins/{bulletin.pk}/advance/", {"action": "publish", "confirmed": "1"})
    client.force_login(lz_user)
    response = client.get(f"/monitoring/bulletins/{bulletin.pk}/download/")
    body = response.content
    assert "经济运行通报_2026-09.docx" in unquote(response["Content-Disposition"])
    assert body == bytes(Bulletin.objects.get().document)
    paragraphs = [p.text for p in Document(io.BytesIO(body)).paragraphs if p.text]
    assert paragraphs[0] == "甘肃省商务厅文件" and paragraphs[1].endswith("通报")  # 版头 (no 发文字号 given), 标题


def test_reminder_list_names_who_owes_the_latest_month(client, calendar, province_user):
    from datetime import date

    from jingkai.monitoring.selectors import recent_periods

    latest = recent_periods(date.today(), 1)[0]
    Submission.objects.create(calendar=calendar, zone=calendar.zones.get(code="GS-LZ"), period=latest,
                              state="approved", submitted_at="2026-10-05T10:00:00+08:00")
    client.force_login(province_user)
    owing = client.get("/monitoring/submissions/").context["matrix"].owing
    assert [o.zone.code for o in owing] == ["GS-JC"]


def test_national_total_needs_every_national_zone(client, calendar, province_user):
    Submission.objects.filter(zone__code="GS-JC", period="2026-09").update(state="submitted")
    client.force_login(province_user)
    chart = client.get("/monitoring/?period=2026-09").context["dashboard"].chart
    series = {s.name: s.data for s in chart.series}
    assert "国家级经开区合计" not in series  # 金昌's September is not reviewed: no partial total


def test_quarterly_and_annual_views(client, calendar, zones, province_user):
    client.force_login(province_user)
    quarter = client.get("/monitoring/?freq=quarter")
    board = quarter.context["dashboard"]
    assert board.period == "2026-Q3" and "当季现价增长" in quarter.content.decode()
    output = board.table("industrial_output")
    assert [(r.zone_code, round(r.yoy_cumulative, 4)) for r in output.rows] == [("GS-LZ", 0.2), ("GS-JC", -0.2)]
    year = client.get("/monitoring/?freq=year")
    assert year.context["dashboard"].period is None  # no December reviewed yet: no annual view


def test_submissions_page_title_is_plain_and_submit_button_only_for_zones(client, calendar, department_user,
                                                                          lz_user):
    client.force_login(department_user)
    page = client.get("/monitoring/submissions/").content.decode()
    title = page[page.index("<title>"):page.index("</title>")]
    assert "<h2>" not in title and "报送情况" in title
    assert ">报送</button>" not in page  # departments read; they cannot submit
    client.force_login(lz_user)
    assert ">报送</button>" in client.get("/monitoring/submissions/").content.decode()


def test_annual_view_without_data_keeps_the_frequency_switch(client, calendar, province_user):
    client.force_login(province_user)
    page = client.get("/monitoring/?freq=year").content.decode()
    assert 'name="freq"' in page and "暂无年度已审核数据" in page


def test_zone_user_sees_its_province_rank_and_share_and_the_real_national_total(client, calendar, lz_user):
    client.force_login(lz_user)
    response = client.get("/monitoring/?period=2026-09")
    output = response.context["dashboard"].table("industrial_output")
    assert [r.zone_code for r in output.rows] == ["GS-LZ"]  # only its own row
    assert output.rows[0].rank == 1 and output.rows[0].share_province == pytest.approx(0.6)  # 1200 of 2000
    series = {s.name: list(s.data) for s in response.context["dashboard"].chart.series}
    assert "金昌经济技术开发区" not in series
    assert series["国家级经开区合计"] == [pytest.approx(0.0)]  # both national zones, not 兰州 alone (+20%)


def test_dashboard_marks_extreme_zero_base_and_revised_growth_and_says_what_shares_cover(
        client, calendar, province_user):
    from jingkai.testing import make_zone

    ind = {i.key: i for i in Indicator.objects.all()}
    calendar.indicators.add(ind["fdi_actual_usd"])
    lz, jc = calendar.zones.get(code="GS-LZ"), calendar.zones.get(code="GS-JC")
    # 兰州 stated its 2025年1—9月 规上工业总产值 revised to 1,100 (可比口径): +9.1% instead of +20.0%
    IndicatorValue.objects.filter(zone=lz, period="2026-09", indicator=ind["industrial_output"]).update(base_revised=1100)
    # 金昌's 进出口总额 base of 2.9 万元: +8,175.9% is flagged, not shown as a normal rate
    IndicatorValue.objects.filter(zone=jc, period="2025-09", indicator=ind["trade_total"]).update(value=2.9)
    IndicatorValue.objects.filter(zone=jc, period="2026-09", indicator=ind["trade_total"]).update(value=240)
    # 兰州's 实际使用外资 was zero a year before
    for period, value in (("2025-09", 0), ("2026-09", 520)):
        IndicatorValue.objects.create(zone=lz, period=period, indicator=ind["fdi_actual_usd"], value=value)
    # 天水 reported, not yet reviewed: left out of totals, shares and ranks, and said so
    ts = make_zone("GS-TS")
    calendar.zones.add(ts)
    IndicatorValue.objects.create(zone=ts, period="2026-09", indicator=ind["industrial_output"], value=5000)
    Submission.objects.create(calendar=calendar, zone=ts, period="2026-09", state="submitted",
                              submitted_at="2026-10-06T10:00:00+08:00")
    client.force_login(province_user)
    response = client.get("/monitoring/?period=2026-09")
    page = response.content.decode()
    assert "占全省经开区合计比重" in page and ">占比<" not in page
    assert "合计覆盖2个园区，缺1个：天水经济技术开发区（未审核），未审核数据不计入合计、比重和排名" in page
    trade = response.context["dashboard"].table("trade_total")
    jc_row = next(r for r in trade.rows if r.zone_code == "GS-JC")
    assert jc_row.yoy_cumulative == pytest.approx(240 / 2.9 - 1) and "yoy_cumulative" in jc_row.flags
    assert '<span class="badge extreme">异常</span>' in page and "（平台默认阈值，非官方口径）" in page
    assert "上年同期基数2.9相对本期240过小" in page
    fdi = response.context["dashboard"].table("fdi_actual_usd").rows[0]
    assert fdi.yoy_cumulative is None and fdi.notes["yoy_cumulative"] == "上年同期为零"
    assert ">上年同期为零<" in page.replace(" ", "")
    output = response.context["dashboard"].table("industrial_output")
    lz_row = next(r for r in output.rows if r.zone_code == "GS-LZ")
    assert lz_row.yoy_cumulative == pytest.approx(1200 / 1100 - 1)
    assert "+9.1%" in page and '<span class="badge">调</span>' in page
    assert "按上年同期调整值（可比口径）1,100.0计算，原上年同期数1,000.0" in page
    assert "None" not in page


def test_one_unpublished_bulletin_per_period(client, calendar, province_user, draft):
    client.force_login(province_user)
    draft({"period": "2026-09"})
    second = draft({"period": "2026-09"})
    assert Bulletin.objects.filter(period="2026-09").count() == 1
    assert second.state == Job.State.FAILED
    assert second.message == "2026-09 的通报已有一份草稿（未发布），请先审核、发布该份，不能再起草第二份"
    Bulletin.objects.update(state="published")  # once published, a revised bulletin may be drafted
    draft({"period": "2026-09"})
    assert Bulletin.objects.filter(period="2026-09").count() == 2


def test_bulletin_draft_takes_its_document_number_and_date(client, calendar, province_user, draft):
    client.force_login(province_user)
    page = client.get("/monitoring/bulletins/").content.decode()
    assert "发文字号" in page and "成文日期" in page
    draft({"period": "2026-09", "number": "甘商运通[2026]11号", "issue_date": "2026-10-20"})
    doc = Document(io.BytesIO(bytes(Bulletin.objects.get().document)))
    texts = [p.text for p in doc.paragraphs]
    assert "甘商运通〔2026〕11号" in texts and "2026年10月20日" in texts  # the year in 六角括号
    response = client.post("/monitoring/bulletins/", {"period": "2026-09", "issue_date": "20.10.2026"}, follow=True)
    assert "成文日期格式应为 YYYY-MM-DD" in response.content.decode() and Bulletin.objects.count() == 1


def test_bulletin_command_reproduces_a_past_bulletin_byte_for_byte(calendar, tmp_path):
    from django.core.management import call_command

    paths = [tmp_path / "a.docx", tmp_path / "b.docx"]
    for path in paths:
        call_command("bulletin", "--period", "2026-09", "--number", "甘商运通〔2026〕11号", "--date", "2026-12-05",
                     "--out", str(path), stdout=io.StringIO())
    assert paths[0].read_bytes() == paths[1].read_bytes()
    doc = Document(str(paths[0]))
    texts = [p.text for p in doc.paragraphs]
    assert "甘商运通〔2026〕11号" in texts and "2026年12月5日" in texts
    assert doc.core_properties.created.date().isoformat() == "2026-12-05"


def test_bulletin_list_searches_sorts_pages_and_exports(client, calendar, province_user):
    from io import BytesIO

    import openpyxl

    for period, state, number in (("2026-08", "published", "甘商运通〔2026〕8号"), ("2026-09", "published", ""),
                                  ("2026-10", "draft", "甘商运通〔2026〕10号")):
        Bulletin.objects.create(period=period, state=state, number=number, document=b"PK", sha256="0" * 64)
    client.force_login(province_user)
    page = client.get("/monitoring/bulletins/").content.decode()
    assert page.index("2026年1—10月") < page.index("2026年1—9月") < page.index("2026年1—8月")  # newest first
    assert "未填写" in page and "2026-10</td>" not in page  # periods as people read them
    ascending = client.get("/monitoring/bulletins/?sort=period&dir=asc").content.decode()
    assert ascending.index("2026年1—8月") < ascending.index("2026年1—10月")
    found = client.get("/monitoring/bulletins/?q=已发布").content.decode()
    assert "2026年1—8月" in found and "2026年1—10月" not in found
    assert "没有符合条件的通报" in client.get("/monitoring/bulletins/?q=2025").content.decode()
    export = client.get("/monitoring/bulletins/?q=2026-1&export=xlsx")
    sheet = openpyxl.load_workbook(BytesIO(export.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "通报期间" in values and "发文字号" in values and "甘商运通〔2026〕10号" in values
    assert "甘商运通〔2026〕8号" not in values  # the export holds the filtered list only
