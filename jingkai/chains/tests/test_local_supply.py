"""本地配套率 of a 链主: local purchases over all purchases of its latest year with data, on the registry."""

import pytest
from django.urls import reverse

from jingkai.chains.models import LeaderPurchase
from jingkai.chains.selectors import local_supply
from jingkai.chains.services import save_leader
from jingkai.chains.tests.test_chains import lz, placed  # noqa: F401  (fixture)


def test_rate_is_local_over_total_of_the_latest_year(placed, prov_user, client):  # noqa: F811
    leader = save_leader(prov_user, lz(0), "GS-NE")
    other = save_leader(prov_user, lz(1), "GS-NE")
    assert local_supply([leader.pk, other.pk]) == {}  # no purchase data: no rate
    for year, supplier, amount, local in ((2024, "甲", 900.0, True), (2025, "乙", 300.0, True),
                                          (2025, "丙", 500.0, False), (2025, "丁", 200.0, True)):
        LeaderPurchase.objects.create(leader=leader, year=year, supplier=supplier, amount=amount, local=local)
    LeaderPurchase.objects.create(leader=other, year=2025, supplier="戊", amount=0.0, local=True)
    found = local_supply([leader.pk, other.pk])
    assert (found[leader.pk].year, found[leader.pk].local, found[leader.pk].total) == (2025, 500.0, 1000.0)
    assert found[leader.pk].rate == pytest.approx(0.5) and found[leader.pk].suppliers == 3
    assert found[other.pk].rate is None  # purchases of nothing: no rate, not 0
    client.force_login(prov_user)
    page = client.get(reverse("chains:leaders")).content.decode()
    assert "50%" in page and "2025年 本地采购 500.00 / 采购总额 1,000.00 万元" in page and "None" not in page


def test_purchases_import_all_or_nothing_and_scoped(placed, prov_user, lz_zone_user, jc_zone_user, tmp_path):  # noqa: F811
    import io

    import openpyxl

    from jingkai.intake.services import run_import, write_template

    leader = save_leader(prov_user, lz(0), "GS-NE")
    f = tmp_path / "p.csv"
    head = "链主企业统一社会信用代码,产业链代码,年份,供应商,采购额（万元）,本地供应商\n"
    f.write_text(head + f"{lz(0).uscc},GS-NE,2025,甲供应商,300,是\n{lz(0).uscc},GS-NE,2025,乙供应商,700,否\n",
                 encoding="utf-8")
    assert run_import("chain-leader-purchases", f, user=jc_zone_user).errors[0].message.startswith("无权导入园区")
    result = run_import("chain-leader-purchases", f, user=lz_zone_user)
    assert result.ok and result.created == 2, result.errors
    assert local_supply([leader.pk])[leader.pk].rate == pytest.approx(0.3)
    f.write_text(head + f"{lz(0).uscc},GS-NE,2025,甲供应商,400,是\n{lz(1).uscc},GS-NE,2025,丙,1,否\n"
                 f"{lz(0).uscc},GS-NE,2025,丁,-1,否\n", encoding="utf-8")
    result = run_import("chain-leader-purchases", f, user=lz_zone_user)
    assert not result.ok and LeaderPurchase.objects.get(supplier="甲供应商").amount == 300
    messages = {(e.row, e.column.split("（")[0]): e.message for e in result.errors}
    assert "不是该产业链的链主企业" in messages[(3, "链主企业统一社会信用代码")] and (4, "采购额") in messages
    sheet = openpyxl.load_workbook(io.BytesIO(write_template("chain-leader-purchases", tmp_path / "t.xlsx")
                                              .read_bytes())).worksheets[0]
    assert "采购额（万元）" in [c.value for row in sheet.iter_rows(max_row=6) for c in row if c.value]


def test_purchase_pages_are_scoped_and_audited(placed, prov_user, lz_zone_user, jc_zone_user, client):  # noqa: F811
    from jingkai.audit.models import AuditEntry

    leader = save_leader(prov_user, lz(0), "GS-NE")
    client.force_login(lz_zone_user)
    url = reverse("chains:purchase_create")
    assert lz(0).name in client.get(f"{url}?leader={leader.pk}").content.decode()
    response = client.post(url, {"leader": leader.pk, "year": 2025, "supplier": "甲供应商", "amount": "300",
                                 "local": "on"})
    assert response.status_code == 302
    row = LeaderPurchase.objects.get()
    assert (row.amount, row.local) == (300.0, True)
    assert AuditEntry.objects.get(model="chains.LeaderPurchase", action="create").after["supplier"] == "甲供应商"
    edit = reverse("chains:purchase_edit", args=[row.pk])
    assert client.post(edit, {"leader": leader.pk, "year": 2025, "supplier": "甲供应商", "amount": "-1"}).status_code == 400
    assert client.post(edit, {"leader": leader.pk, "year": 2025, "supplier": "甲供应商", "amount": "350"}).status_code == 302
    entry = AuditEntry.objects.get(model="chains.LeaderPurchase", action="update")
    assert (entry.before["amount"], entry.after["amount"], entry.after["local"]) == (300.0, 350.0, False)
    assert "甲供应商" in client.get(reverse("chains:purchases")).content.decode()
    client.force_login(jc_zone_user)
    assert client.get(edit).status_code == 404
    assert "甲供应商" not in client.get(reverse("chains:purchases")).content.decode()
    assert client.post(url, {"leader": leader.pk, "year": 2025, "supplier": "乙", "amount": "1"}).status_code == 400
