import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from jingkai.audit.services import changes_for
from jingkai.chains.models import ChainLeader, LinkAssignment, TargetCompany
from jingkai.chains.selectors import zone_gaps, zone_targets
from jingkai.chains.services import add_link, decide, run_assignment, save_leader
from jingkai.enterprises.models import Enterprise


@pytest.fixture
def placed(site_data, prov_user):
    """兰州's C3841 test firms make lithium batteries; the C2614 ones ethylene; one 金昌 firm too."""
    Enterprise.objects.filter(industry_code="C3841").update(main_products="锂电池、储能电池")
    Enterprise.objects.filter(industry_code="C2614").update(main_products="乙烯、丙烯")
    run_assignment(prov_user)
    return site_data


def lz(n):
    return Enterprise.objects.get(name=f"兰州测试企业{n:03d}有限公司")


def test_assignment_places_by_code_and_words_and_is_audited(placed):
    rows = LinkAssignment.objects.filter(enterprise=lz(0))
    assert [r.link for r in rows] == ["GS-NE-03"]
    assert rows[0].reasons[0] == "行业代码 C3841 属本环节代码 C3841（+0.50）"
    assert "“储能电池”“锂电池”" in rows[0].reasons[1]
    assert changes_for("chains.LinkAssignment", f"{lz(0).uscc}/GS-NE-03")[0].action == "create"


def test_zone_decisions_survive_a_rerun(placed, prov_user, lz_zone_user):
    a = LinkAssignment.objects.get(enterprise=lz(0), link="GS-NE-03")
    decide(lz_zone_user, a, "rejected", "实为电池回收企业")
    b = LinkAssignment.objects.get(enterprise=lz(3), link="GS-NE-03")
    decide(lz_zone_user, b, "confirmed")
    add_link(lz_zone_user, lz(1), "GS-NM-01", "前驱体车间")
    Enterprise.objects.filter(pk=lz(3).pk).update(main_products="储能电池系统")
    run_assignment(prov_user)
    assert LinkAssignment.objects.get(pk=a.pk).decision == "rejected"  # not given again
    assert LinkAssignment.objects.filter(enterprise=lz(0), link="GS-NE-03").count() == 1
    assert LinkAssignment.objects.get(pk=b.pk).decision == "confirmed"
    manual = LinkAssignment.objects.get(enterprise=lz(1), link="GS-NM-01")
    assert (manual.source, manual.decision, manual.note) == ("manual", "confirmed", "前驱体车间")
    history = changes_for("chains.LinkAssignment", f"{lz(0).uscc}/GS-NE-03")
    assert [c.after["decision"] for c in history if c.after] == ["", "rejected"]
    # gaps count neither the rejected firm nor anything of another zone's
    [ne] = zone_gaps(lz_zone_user.scope, placed["GS-LZ"], chain_code="GS-NE")
    battery = next(g for g in ne.links if g.link.code == "GS-NE-03")
    assert lz(0).uscc not in {f.uscc for f in battery.firms}
    assert battery.last_confirmed is not None


def test_a_zone_decides_only_its_own_enterprises(placed, jc_zone_user, dept_user):
    a = LinkAssignment.objects.get(enterprise=lz(0), link="GS-NE-03")
    with pytest.raises(PermissionDenied):
        decide(jc_zone_user, a, "rejected")
    with pytest.raises(PermissionDenied):
        decide(dept_user, a, "confirmed")
    with pytest.raises(PermissionDenied):
        run_assignment(jc_zone_user)


def test_gaps_statuses_leaders_and_targets(placed, prov_user):
    save_leader(prov_user, lz(0), "GS-NE")
    TargetCompany.objects.create(name="演示正极材料股份有限公司", hq_region="江苏省", industry_code="C3985",
                                 main_products="正极材料、三元前驱体", lists=["china_500:2025:210"], demo=True)
    [ne] = zone_gaps(prov_user.scope, placed["GS-LZ"], chain_code="GS-NE")
    status = {g.link.code: g.status for g in ne.links}
    assert status["GS-NE-03"] == "strong"  # 规上 firms and a 链主
    assert status["GS-NE-01"] == "missing"
    assert ne.completeness == pytest.approx(1 / 3)
    targets = zone_targets(prov_user.scope, placed["GS-LZ"], chain_code="GS-NM")
    assert {t["link"] for t in targets} <= {"GS-NM-01", "GS-NM-03"}
    assert any("中国企业500强（2025年第210位）" in w for t in targets for w in t["why"])
    assert ChainLeader.objects.count() == 1


def test_gaps_and_targets_commands(placed, capsys):
    call_command("chains", "gaps", "--zone", "GS-LZ", "--chain", "GS-NE")
    data = json.loads(capsys.readouterr().out)
    assert data["zone"] == "GS-LZ" and data["chains"][0]["chain"] == "GS-NE"
    link = data["chains"][0]["links"][2]
    assert set(link) >= {"link", "status", "enterprises", "rule"} and link["enterprises"] > 0
    call_command("chains", "targets", "--zone", "GS-LZ")
    assert json.loads(capsys.readouterr().out)["targets"] == []  # no target companies entered


def test_pages(placed, client, lz_zone_user, prov_user):
    client.force_login(prov_user)
    page = client.get(reverse("chains:index")).content.decode()
    assert "待省工信厅确认" in page and "园区 × 产业链 完整度" in page
    page = client.get(reverse("chains:chain", args=["GS-NE"]) + "?zone=GS-LZ").content.decode()
    assert "储能与动力电池" in page and "chain-data" in page and "vendor/echarts.min.js" in page
    client.force_login(lz_zone_user)
    assert client.get(reverse("chains:chain", args=["GS-NE"]) + "?zone=GS-JC").status_code == 404
    page = client.get(reverse("chains:link", args=["GS-NE", "GS-NE-03"])).content.decode()
    assert "不属于本环节" in page and "行业代码 C3841" in page
    page = client.get(reverse("enterprises:detail", args=[lz(0).uscc])).content.decode()
    assert "所属产业链环节" in page and "新能源 · 储能与动力电池" in page
    a = LinkAssignment.objects.get(enterprise=lz(0), link="GS-NE-03")
    response = client.post(reverse("chains:decide", args=[a.pk]), {"decision": "confirmed"})
    assert response.status_code == 302 and LinkAssignment.objects.get(pk=a.pk).decision == "confirmed"


def test_run_command_and_api(site_data, client, lz_zone_user, capsys):
    Enterprise.objects.filter(industry_code="C3841").update(main_products="锂电池")
    call_command("chains", "run")
    assert "家企业" in capsys.readouterr().err
    assert LinkAssignment.objects.filter(link="GS-NE-03").count() == 40  # every third of the 120 test firms
    client.force_login(lz_zone_user)
    data = client.get("/api/v1/chains/gaps/GS-LZ?chain=GS-NE").json()
    battery = next(link for link in data["chains"][0]["links"] if link["link"] == "GS-NE-03")
    assert battery["enterprises"] == 24 and battery["status"] in {"covered", "strong"}  # 兰州's 24 of the 40
    assert client.get("/api/v1/chains/gaps/GS-JC").status_code == 404
    links = client.get(f"/api/v1/chains/enterprises/{lz(0).uscc}").json()
    assert [link["link"] for link in links] == ["GS-NE-03"] and links[0]["decision"] == "pending"
