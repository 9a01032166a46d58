"""The pages this app changed, in a real browser (CSP refusals and script errors fail the test): the indicator
entry's 采用 of an offer (Enter in a field saves, it does not adopt), the board's search, the teams, events,
合作共建 and 链主采购 forms and the chain catalogue tree. Screenshots go to JINGKAI_SCREENSHOTS when set."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jingkai.browser import follow, goto, login
from jingkai.investment import services
from jingkai.investment.models import Team
from jingkai.investment.tests.test_pipeline import new
from jingkai.testing import make_zone, zone_user
from jingkai.zones.models import Indicator, IndicatorValue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def shot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("JINGKAI_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_offer_adopt_and_changed_pages(page, tmp_path):
    zone = make_zone("GS-LZ")
    make_zone("GS-JC")
    user = zone_user(zone)
    IndicatorValue.objects.create(zone=zone, indicator=Indicator.objects.get(key="fdi_actual_usd"), period="2025-08",
                                  value=100)
    team = Team.objects.create(zone=zone, name="新能源产业招商小分队", leader="张三", coverage=["GS-NE"],
                               members="李四（招商局）\n王五（经发局）")
    project = services.create_project(user, new(zone, contracted_fdi=Decimal("12000"), team_id=team.pk,
                                                chain_links=("GS-NE/GS-NE-03",)))
    services.create_project(user, new(zone, name="乙烯下游项目", company="某化工有限公司"))
    services.record_fdi_receipt(user, project, month=date(2025, 9, 1), amount=Decimal("1234.5"))
    login(page, user.username)

    goto(page, "/indicators/entry/?zone=GS-LZ&period=2025-09")
    shot(page, "entry-offer", tmp_path)
    assert "1—9月 1 个项目到位外资合计，建议值 1234.5 万美元" in page.inner_text("body")
    page.fill("#id_v_tax_revenue", "321")
    follow(page, "button[name=adopt]")
    assert page.input_value("#id_v_fdi_actual_usd") == "1234.5" and page.input_value("#id_v_tax_revenue") == "321"
    shot(page, "entry-adopted", tmp_path)
    with page.expect_navigation():  # Enter saves (the hidden default button), it does not adopt again
        page.press("#id_v_tax_revenue", "Enter")
    page.wait_for_load_state("load")
    assert "已保存" in page.inner_text("body")
    assert IndicatorValue.objects.get(zone=zone, period="2025-09", indicator__key="fdi_actual_usd").value == 1234.5

    goto(page, "/investment/?owner=新能源")
    assert "锂电正极材料项目" in page.inner_text(".kanban") and "乙烯下游项目" not in page.inner_text(".kanban")
    shot(page, "board-search", tmp_path)
    for name, url in (("teams", "/investment/teams/"), ("team-form", f"/investment/teams/{team.pk}/edit/"),
                      ("event-form", "/investment/events/new/"), ("co-build-form", "/investment/co-builds/new/"),
                      ("purchases", "/chains/purchases/"), ("purchase-form", "/chains/purchases/new/"),
                      ("project", f"/investment/{project.pk}/"), ("chains-tree", "/chains/?chain=GS-NE")):
        goto(page, url)
        assert "None" not in page.inner_text("body"), url
        shot(page, name, tmp_path)
