"""The board's search (查询/重置 by name, stage, owner and chain) keeps the kanban and exports the filtered leads;
the chain catalogue tree on the chains index searches and exports the same way."""

import io

import openpyxl
from django.urls import reverse

from jingkai.investment import services
from jingkai.investment.models import Stage, Team
from jingkai.investment.tests.test_pipeline import new, walk


def _leads(site_data, user):
    team = Team.objects.create(zone=site_data["GS-LZ"], name="新能源小分队", leader="张三", coverage=["GS-NE"])
    a = services.create_project(user, new(site_data["GS-LZ"], name="储能电池项目", company="甲储能科技有限公司",
                                          chain_links=("GS-NE/GS-NE-03",), team_id=team.pk))
    b = services.create_project(user, new(site_data["GS-LZ"], name="乙烯下游项目", company="乙化工有限公司",
                                          chain_links=("GS-PC/GS-PC-02",)))
    walk(user, b, Stage.VISIT)
    return a, b


def test_board_search_filters_the_kanban_and_exports(client, site_data, lz_zone_user):
    a, b = _leads(site_data, lz_zone_user)
    client.force_login(lz_zone_user)
    url = reverse("investment:board")
    page = client.get(url).content.decode()
    assert "储能电池项目" in page and "乙烯下游项目" in page and "查询</button>" in page and ">重置</a>" in page
    assert '<option value="GS-NE">' in page  # chains by name, from the chains app
    for query, shown, hidden in (("name=甲储能", a, b), ("stage=visit", b, a), ("owner=新能源小分队", a, b),
                                 ("chain=GS-PC", b, a), ("name=储能&chain=GS-PC", None, a)):
        page = client.get(f"{url}?{query}").content.decode()
        assert hidden.name not in page and (shown is None or shown.name in page), query
        assert 'class="kanban"' in page and "按查询条件显示" in page
    response = client.get(f"{url}?chain=GS-NE&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert "储能电池项目" in values and "乙烯下游项目" not in values and "新能源小分队" in values
    assert "责任小分队（专班）" in values and "计划总投资（万元）" in values


def test_chain_tree_search_and_export(client, site_data, lz_zone_user):
    Team.objects.create(zone=site_data["GS-LZ"], name="新能源小分队", leader="张三", coverage=["GS-NE"])
    client.force_login(lz_zone_user)
    url = reverse("chains:index")
    page = client.get(url).content.decode()
    assert "产业链目录" in page and "石油化工" in page and "新能源小分队（负责人：张三）" in page
    page = client.get(f"{url}?owner=新能源小分队").content.decode()
    tree = page[page.index('class="data tree"'):]
    assert "石油化工</a>" not in tree and "新能源</a>" in tree
    page = client.get(f"{url}?chain=GS-PC&stage=上游").content.decode()
    tree = page[page.index('class="data tree"'):]
    assert "新能源</a>" not in tree and "上游" in tree and "中游</td>" not in tree
    response = client.get(f"{url}?chain=GS-NE&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    chains = {sheet.cell(r, 1).value for r in range(4, sheet.max_row + 1)}
    assert chains == {"新能源"}
    assert client.get(f"{url}?name=不存在的环节").content.decode().count("没有符合条件的环节") == 1
