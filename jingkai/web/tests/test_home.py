"""The province overview: the four national zones side by side with the latest cumulative figures and 同比."""

import json
import re

from jingkai.testing import make_user


def test_overview_shows_the_four_national_zones_in_order(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/").content.decode()
    names = ["兰州经济技术开发区", "金昌经济技术开发区", "天水经济技术开发区", "张掖经济技术开发区"]
    positions = [page.index(f">{name}</a></h2>") for name in names]
    assert positions == sorted(positions)
    assert "最新期间：2025年1—9月" in page


def test_key_figures_with_year_on_year(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/").content.decode()
    lz_card = page[page.index(">兰州经济技术开发区</a>"):page.index(">金昌经济技术开发区</a>")]
    for label in ("规模以上工业总产值", "固定资产投资", "进出口总额", "实际使用外资", "税收收入"):
        assert label in lz_card
    # 兰州's 2025年1—9月 in the fixture: 1000 + 8 × 100; 2024 was 10% lower.
    assert "1,800.0" in lz_card and "同比 +10.0%" in lz_card


def test_trend_charts_carry_both_years(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/").content.decode()
    match = re.search(r'<script id="chart-industrial_output" type="application/json">(.*?)</script>', page)
    chart = json.loads(match.group(1))
    lz = [s for s in chart["series"] if s["name"] == "兰州经开区"]
    assert [s["year"] for s in lz] == [2025, 2024]
    assert lz[0]["data"][:9] == [1000 + m * 100 for m in range(9)] and lz[0]["data"][9:] == [None] * 3
    assert lz[1]["dashed"] and abs(lz[1]["data"][8] - 1800 / 1.1) < 1e-6
    assert len(chart["series"]) == 8 and chart["x"][8] == "1—9月"


def test_provincial_zones_table(client, prov_user):
    client.force_login(prov_user)
    page = client.get("/").content.decode()
    table = page[page.index("省级开发区</h2>"):]
    assert "兰州新区省级开发区" in table and "白银高新技术产业开发区" in table


def test_department_sees_the_overview(client, dept_user):
    client.force_login(dept_user)
    page = client.get("/").content.decode()
    assert page.count('class="card zone-card"') == 4


def test_city_sees_only_its_zones(client, site_data):
    client.force_login(make_user("jc-city", "city-620300"))
    page = client.get("/").content.decode()
    assert page.count('class="card zone-card"') == 1 and "金昌经济技术开发区" in page
    assert "兰州经济技术开发区" not in page


def test_zone_user_goes_to_its_zone(client, lz_zone_user):
    client.force_login(lz_zone_user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/zones/GS-LZ/"
    assert "<h1>兰州经济技术开发区</h1>" in response.content.decode()


def test_overview_counts_reviewed_months_only_as_the_bulletin_does(client, prov_user, site_data):
    # the home page showed figures the monitoring pages do not count: a month entered but not yet approved
    from jingkai.monitoring.models import ReportingCalendar, Submission
    from jingkai.zones.models import Zone

    calendar = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    national = Zone.objects.filter(code__in=["GS-LZ", "GS-JC", "GS-TS", "GS-ZY"])
    calendar.zones.set(national)
    for zone in national:
        for year in (2024, 2025):
            for month in range(1, 10):
                if (zone.code, year, month) in {("GS-LZ", 2025, 9), ("GS-JC", 2025, 9)}:
                    continue  # 兰州 submitted 9月 (not reviewed), 金昌 did not report it
                Submission.objects.create(calendar=calendar, zone=zone, period=f"{year}-{month:02d}",
                                          state="approved", submitted_at=f"{year + (month == 12)}-{month % 12 + 1:02d}-05T10:00+08:00")
    Submission.objects.create(calendar=calendar, zone=national.get(code="GS-LZ"), period="2025-09",
                              state="submitted", submitted_at="2025-10-05T10:00+08:00")
    client.force_login(prov_user)
    page = client.get("/").content.decode()
    lz_card = page[page.index(">兰州经济技术开发区</a>"):page.index(">金昌经济技术开发区</a>")]
    assert "1,800.0" not in lz_card  # 9月 (1000 + 8 × 100) is not reviewed
    assert lz_card.count("待审核") == 5  # each key figure says why it is blank, not a bare —
    assert "最新期间：2025年1—9月" in page  # 天水, 张掖 and the provincial zones (not under review) have it
    assert "2个园区的最新月份数据尚未审核，暂未计入（本页仅含已审核数据，与经济运行通报一致）" in page
    ts_card = page[page.index(">天水经济技术开发区</a>"):page.index(">张掖经济技术开发区</a>")]
    assert "5,400.0" in ts_card and "同比 +10.0%" in ts_card and "待审核" not in ts_card


def test_overview_without_review_has_no_note(client, prov_user):
    client.force_login(prov_user)
    assert "尚未审核" not in client.get("/").content.decode()
