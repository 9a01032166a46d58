"""The green-certificate ledger: ranges imported all or nothing (overlaps, a second retirement and an 电量 that is
not 证书数 × 1,000 kWh refused with row, column and value), and the account counting green power at zero only up
to the certificates retired for its year or direct supply, citing the rule."""

import pytest
from django.urls import reverse

from jingkai.carbon.models import EnergyRecord, GreenCertificate
from jingkai.carbon.services import compute
from jingkai.enterprises.models import Enterprise
from jingkai.intake.services import run_import

HEAD = "platform,first_id,last_id,mwh,project,production_period,uscc,retired_year\n"


@pytest.fixture
def holders(site_data):
    return list(Enterprise.objects.filter(zone=site_data["GS-LZ"]).order_by("uscc")[:2])


def load(tmp_path, lines: list[str], user=None, name="c.csv"):
    path = tmp_path / name
    path.write_text(HEAD + "\n".join(lines) + "\n", encoding="utf-8")
    return run_import("green-certificates", path, user=user)


def test_ranges_are_stored_with_their_count(tmp_path, holders):
    a, b = holders
    done = load(tmp_path, [f"国家绿证核发交易系统,GEC2025000000001,GEC2025000000300,300,酒泉风电场,2025-03,{a.uscc},2025",
                           f"gec,GEC2025000000301,,1,武威光伏电站,2025-04,{b.uscc},"])
    assert done.ok, done.errors
    first, single = GreenCertificate.objects.order_by("first_id")
    assert (first.certificates, first.mwh, first.holder, first.retired_year) == (300, 300, a, 2025)
    assert (single.certificates, single.retired_year, str(single)) == (1, None, "GEC2025000000301")


@pytest.mark.parametrize("lines, row, column, value, message", [
    (["gec,GEC2025000000001,GEC2025000000100,100,甲,2025-03,{a},2025",
      "gec,GEC2025000000050,GEC2025000000150,101,乙,2025-03,{b},2025"],
     3, "起始证书编号（first_id）", "GEC2025000000050", "与第 2 行重叠"),
    (["gec,GEC2025000000001,GEC2025000000100,99,甲,2025-03,{a},2025"],
     2, "电量（mwh）", "99", "1 个绿证对应 1000 千瓦时（发改能源〔2023〕1044号）"),
    (["gec,GEC2025000000100,GEC2025000000001,1,甲,2025-03,{a},2025"],
     2, "终止证书编号（last_id）", "GEC2025000000001", "终止编号小于起始编号"),
])
def test_a_bad_range_is_refused_with_row_column_and_value(tmp_path, holders, lines, row, column, value, message):
    a, b = holders
    done = load(tmp_path, [line.format(a=a.uscc, b=b.uscc) for line in lines])
    assert not done.ok and not GreenCertificate.objects.exists()
    e = done.errors[0]
    assert (e.row, e.column, e.value) == (row, column, value) and message in e.message, e


def test_overlap_with_a_stored_range_and_a_second_retirement_are_refused(tmp_path, holders):
    a, _ = holders
    assert load(tmp_path, [f"gec,GEC2025000000001,GEC2025000000100,100,甲,2025-03,{a.uscc},2024"]).ok
    overlap = load(tmp_path, [f"gec,GEC2025000000090,GEC2025000000110,21,乙,2025-05,{a.uscc},2025"], name="o.csv")
    assert not overlap.ok and "与已登记的证书 GEC2025000000001—GEC2025000000100重叠" in overlap.errors[0].message
    again = load(tmp_path, [f"gec,GEC2025000000001,GEC2025000000100,100,甲,2025-03,{a.uscc},2025"], name="r.csv")
    e = again.errors[0]
    assert not again.ok and (e.row, e.column, e.value) == (2, "注销用于年度（retired_year）", "2025")
    assert "已注销用于 2024 年，不能撤销或重复注销" in e.message
    assert GreenCertificate.objects.get().retired_year == 2024
    # the same range on another platform is another certificate; re-importing the stored row unchanged is fine
    assert load(tmp_path, [f"gec,GEC2025000000001,GEC2025000000100,100,甲,2025-03,{a.uscc},2024",
                           f"bjpx,GEC2025000000001,GEC2025000000100,100,甲,2025-03,{a.uscc},"], name="s.csv").ok


def test_green_power_counts_at_zero_only_up_to_retired_certificates_or_direct_supply(tmp_path, holders, lz_zone_user):
    a, b = holders
    EnergyRecord.objects.create(enterprise=a, year=2025, electricity_kwh=1_000_000, green_power_kwh=500_000)
    EnergyRecord.objects.create(enterprise=b, year=2025, electricity_kwh=1_000_000, green_power_kwh=400_000,
                                green_direct_kwh=100_000)
    assert load(tmp_path, [f"gec,GEC2025000000001,GEC2025000000300,300,甲,2025-03,{a.uscc},2025",
                           f"gec,GEC2025000000301,GEC2025000000400,100,甲,2025-03,{a.uscc},2024",  # another year
                           f"gec,GEC2025000000401,GEC2025000000450,50,甲,2025-03,{b.uscc},2025",
                           f"gec,GEC2025000000451,GEC2025000000500,50,甲,2025-03,{b.uscc},"]).ok  # not retired
    result = compute(lz_zone_user, a.zone, 2025).result
    cover = result["green_power_cover"]
    assert (cover["claimed_kwh"], cover["certificate_kwh"], cover["direct_kwh"], cover["counted_kwh"]) == (
        900_000, 350_000, 100_000, 450_000)
    assert cover["capped"] == [a.name, b.name] and "发改能源〔2023〕1044号" in cover["rule"]
    assert result["zone"]["co2_by_source"]["electricity"] == pytest.approx((2_000_000 - 450_000) * 0.4471 / 1000)


def test_the_ledger_page_lists_the_ranges_of_the_scope(client, tmp_path, holders, lz_zone_user, jc_zone_user):
    a, _ = holders
    assert load(tmp_path, [f"gec,GEC2025000000001,GEC2025000000300,300,酒泉风电场,2025-03,{a.uscc},2025"]).ok
    client.force_login(lz_zone_user)
    page = client.get(reverse("carbon:certificates")).content.decode()
    for text in ("GEC2025000000001—GEC2025000000300", "国家绿证核发交易系统", "酒泉风电场", "2025 年", "1044号"):
        assert text in page, text
    assert client.get(reverse("carbon:certificates"), {"export": "xlsx"}).status_code == 200
    client.force_login(jc_zone_user)
    assert "酒泉风电场" not in client.get(reverse("carbon:certificates")).content.decode()
