"""The 数据字典 page: every indicator of the catalogue and every enterprise field, with definition, unit,
source department and whether its 口径 is verified — from the domains (web.dictionary), in Chinese."""

import re

from jingkai.enterprises.models import YEAR_TABLES
from jingkai.zones.models import Indicator


def test_every_indicator_with_its_unit_source_and_verification(client, prov_user):
    Indicator.objects.filter(key="tax_revenue").update(unverified=False)
    client.force_login(prov_user)
    page = client.get("/dictionary/").content.decode()
    for indicator in Indicator.objects.all():
        assert f'<td class="code">{indicator.key}</td>' in page, indicator.key
    tax = page[page.index("<td>税收收入</td>"):]
    tax = tax[:tax.index("</tr>")]
    assert "万元" in tax and "不含关税和海关代征税收" in tax and "国家税务总局甘肃省税务局" in tax and "已核实" in tax
    output = page[page.index("<td>规模以上工业总产值</td>"):]
    output = output[:output.index("</tr>")]
    assert "待核实" in output and "省统计局" in output and "月度，1月起按年累计" in output
    rd = page[page.index("<td>企业R&amp;D经费投入强度</td>"):]
    assert "按比例录入" in rd[:rd.index("</tr>")] and "fraction" not in page


def test_every_enterprise_field_in_chinese(client, dept_user):
    client.force_login(dept_user)
    page = client.get("/dictionary/").content.decode()
    for table in YEAR_TABLES:
        assert f">{table._meta.verbose_name}</h2>" in page
        for field in table.fact_fields():
            assert f'<td class="code">{field.name}</td>' in page, field.name
    assert "兆瓦时" in page and "MWh" not in page and "可选：大型、中型、小型、微型" in page
    assert '<td class="code">zone_code</td>' in page
    assert "None" not in page and not re.search(r"<td>\s*</td>", page)


def test_menu_entry(client, lz_zone_user):
    client.force_login(lz_zone_user)
    page = client.get("/dictionary/").content.decode()
    assert 'href="/dictionary/" class="active"' in page
