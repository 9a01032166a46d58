import pytest

from jingkai.chains.models import TargetCompany
from jingkai.chains.selectors import target_entries
from jingkai.intake.services import run_import


@pytest.mark.django_db
def test_target_import_is_all_or_nothing_and_reads_lists(tmp_path):
    good = tmp_path / "targets.csv"
    good.write_text("name,uscc,hq_region,industry_code,main_products,lists\n"
                    "某正极材料股份有限公司,,江苏省,C3985,正极材料；三元前驱体,china_500:2025:210;listed\n"
                    "某风电装备有限公司,,河南省,C3415,风电机组,\n", encoding="utf-8")
    result = run_import("chain-targets", good)
    assert result.ok and result.created == 2
    t = TargetCompany.objects.get(name="某正极材料股份有限公司")
    assert [(e.list, e.year, e.rank) for e in target_entries(t)] == [("china_500", 2025, 210), ("listed", None, None)]
    bad = tmp_path / "bad.csv"
    bad.write_text("name,industry_code\n新企业甲,C3985\n新企业乙,X9999\n", encoding="utf-8")
    result = run_import("chain-targets", bad)
    assert not result.ok and "GB/T 4754-2017" in result.errors[0].message
    assert not TargetCompany.objects.filter(name="新企业甲").exists()
