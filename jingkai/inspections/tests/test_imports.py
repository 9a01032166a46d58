"""The four 涉企检查 import kinds through the intake, on real files: all or nothing, errors naming row, column,
value and rule; a visit against an unpublished item is refused; templates are made for every kind."""

import datetime as dt

from openpyxl import load_workbook

from jingkai.enterprises.models import Enterprise
from jingkai.inspections.models import CreditRating, InspectionItem, Inspector, Visit
from jingkai.intake.services import run_import, write_template


def csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(result):
    return [str(e) for e in result.errors]


def test_items_and_roster_import_all_or_nothing(site_data, tmp_path):
    good = csv(tmp_path, "items.csv", "department,item_code,name,legal_basis,standard,mode,applies_to,published_on\n"
               "省市场监督管理局,SJ-010,计量器具使用检查,《中华人民共和国计量法》,强制检定,随机抽查,C,2025-06-30\n"
               "省市场监督管理局,SJ-011,广告发布检查,,,重点监管,,\n")
    result = run_import("inspection-items", good)
    assert result.ok and result.created == 2
    item = InspectionItem.objects.get(item_code="SJ-010")
    assert item.published_on == dt.date(2025, 6, 30) and item.mode == "random" and item.standard == "强制检定"
    assert InspectionItem.objects.get(item_code="SJ-011").published_on is None  # 未公布: never drawn
    bad = csv(tmp_path, "bad.csv", "department,item_code,name,published_on\n省市场监督管理局,SJ-012,新事项,2025-13-01\n")
    result = run_import("inspection-items", bad)
    assert not result.ok and "第 2 行" in messages(result)[0] and "2025-13-01" in messages(result)[0]
    assert not InspectionItem.objects.filter(item_code="SJ-012").exists()

    roster = csv(tmp_path, "roster.csv", "department,person_id,name,cert_no,cert_valid_to,conflicts\n"
                 "省市场监督管理局,P001,张一,甘执0001,2027-12-31,\n"
                 "省市场监督管理局,P002,李二,甘执0002,,\n")  # a 执法证 without validity: refused, nothing written
    result = run_import("inspectors", roster)
    assert not result.ok and "执法证有效期" in messages(result)[0] and "第 3 行" in messages(result)[0]
    assert not Inspector.objects.exists()
    roster.write_text("department,person_id,name,cert_no,cert_valid_to\n省市场监督管理局,P001,张一,甘执0001,2027-12-31\n"
                      "省市场监督管理局,P002,李二,,\n", encoding="utf-8")  # 辅助人员 without 执法证: kept, never drawn
    assert run_import("inspectors", roster).created == 2


def test_credit_ratings_by_month(site_data, tmp_path):
    first, second = Enterprise.objects.filter(zone=site_data["GS-LZ"]).order_by("uscc")[:2]
    good = csv(tmp_path, "credit.csv", f"uscc,month,credit_class,source\n{first.uscc},2026-10,A,省市场监管局\n"
               f"{first.uscc},2026-11,C,省市场监管局\n{second.uscc},2026-11,D,省市场监管局\n")
    result = run_import("credit-ratings", good)
    assert result.ok and result.created == 3
    assert list(CreditRating.objects.filter(enterprise=first).values_list("month", "credit_class")) == [
        ("2026-11", "C"), ("2026-10", "A")]
    bad = csv(tmp_path, "bad.csv", f"uscc,month,credit_class\n{first.uscc},2026-13,B\n{second.uscc},2026-12,E\n"
              "91620100MA0000000X,2026-12,B\n")
    found = messages(run_import("credit-ratings", bad))
    assert any("第 2 行" in m and "2026-13" in m for m in found)
    assert any("第 3 行" in m and "“E”" in m for m in found)
    assert any("第 4 行" in m for m in found)
    assert CreditRating.objects.count() == 3


def test_visit_records_refuse_unpublished_items(site_data, tmp_path):
    InspectionItem.objects.create(department="省市场监督管理局", item_code="SJ-002", name="特种设备",
                                  published_on=dt.date(2025, 6, 30))
    InspectionItem.objects.create(department="省生态环境厅", item_code="HB-009", name="拟公布事项")
    uscc = Enterprise.objects.filter(zone=site_data["GS-LZ"]).order_by("uscc").values_list("uscc", flat=True)[0]
    header = "visit_no,uscc,departments,items,visited_on,kind,exemption,result,published_on\n"
    good = csv(tmp_path, "visits.csv", header + f"V001,{uscc},省市场监督管理局,SJ-002,2026-10-12,日常检查,,未发现问题,2026-10-20\n"
               f"V002,{uscc},省生态环境厅,,2026-10-15,线索核查,complaint,,\n")
    result = run_import("inspection-visits", good)
    assert result.ok, messages(result)
    visit = Visit.objects.get(visit_no="V001")
    assert visit.zone == site_data["GS-LZ"] and visit.departments == ["省市场监督管理局"] and visit.result == "ok"
    bad = csv(tmp_path, "bad.csv", header + f"V003,{uscc},省生态环境厅,HB-009,2026-10-16,日常检查,,,\n"
              f"V004,{uscc},省市场监督管理局,SJ-002,2025-06-01,日常检查,,,\n"
              f"V005,{uscc},省市场监督管理局,SJ-002,2026-10-16,日常检查,holiday,,\n")
    found = messages(run_import("inspection-visits", bad))
    assert any("第 2 行" in m and "HB-009 在检查之日尚未公布" in m for m in found)
    assert any("第 3 行" in m and "尚未公布" in m for m in found)  # before the item's publication date
    assert any("第 4 行" in m and "holiday" in m and "complaint" in m for m in found)
    assert not Visit.objects.filter(visit_no__in=["V003", "V004", "V005"]).exists()


def test_templates_for_every_kind(tmp_path):
    for kind, heading in (("inspection-items", "事项编码"), ("inspectors", "执法证号"), ("credit-ratings", "信用风险分类"),
                          ("inspection-visits", "检查编号")):
        path = write_template(kind, tmp_path / f"{kind}.xlsx")
        cells = [c.value for row in load_workbook(path).worksheets[0].iter_rows(max_row=6) for c in row]
        assert any(heading in str(v) for v in cells if v), kind
