import datetime as dt
import hashlib
from collections import defaultdict
from types import SimpleNamespace

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from stdnum.cn import uscc as stdnum_uscc

from jingkai.accounts.models import OrgUnit, User
from jingkai.accounts.scope import PROVINCE, scope_of
from jingkai.demo import generate as gen
from jingkai.demo.build import build_demo, latest_complete_month
from jingkai.enterprises.industry import industry_level, industry_name
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, EnterpriseTag
from jingkai.enterprises.selectors import YearRows
from jingkai.enterprises.uscc import uscc_problem
from jingkai.zones.models import IndicatorValue, Zone
from jingkai.zones.services import ORG_UNITS

TODAY = dt.date(2026, 11, 25)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMALL = gen.DemoSize(enterprises=300, east=6, central=4, west=6)


def build(seed=7, password="pw-demo-123"):
    return build_demo(seed=seed, size=SMALL, password=password, today=TODAY, progress=False)


def digest() -> str:
    h = hashlib.sha256()
    for row in Enterprise.objects.order_by("uscc").values_list("uscc", "name", "industry_code", "size_class"):
        h.update(repr(row).encode())
    for row in YearRows(PROVINCE):
        h.update(repr(tuple(row[k] for k in ("uscc", "year", "revenue", "tax_paid", "energy_tce", "honors"))).encode())
    for row in IndicatorValue.objects.order_by("zone__code", "period", "indicator__key").values_list(
            "zone__code", "period", "indicator__key", "value"):
        h.update(repr(row).encode())
    return h.hexdigest()


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """One small demo build shared by this module's read-only tests, rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            build()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(built, db):
    """The shared build; each test runs in a savepoint inside it."""


def values(**filters) -> dict[tuple[str, str, str], float]:
    qs = IndicatorValue.objects.filter(**filters).values_list("zone__code", "period", "indicator__key", "value")
    return {(z, p, k): v for z, p, k, v in qs}


def test_same_seed_rebuilds_the_same_data_and_another_seed_differs(demo):
    first = digest()
    build()  # a rebuild flushes the previous demo data first
    assert digest() == first
    assert Enterprise.objects.count() == 300
    result = build(seed=8, password=None)
    assert digest() != first
    # Without --password every account gets one random password, which is returned for printing.
    assert len(result.password) >= 8
    assert User.objects.get(username="demo-admin").check_password(result.password)


def test_usccs_are_valid_unique_and_carry_the_zone_division_code(demo):
    rows = list(Enterprise.objects.values_list("uscc", "zone__division_code", "name"))
    assert len(rows) == 300
    assert all(uscc_problem(uscc) is None for uscc, _, _ in rows)
    assert all(uscc[2:8] == division for uscc, division, _ in rows)
    assert len({uscc for uscc, _, _ in rows}) == len({name for _, _, name in rows}) == 300


def _gb11714_digit(body: str) -> str:
    """GB 11714-1997 §2.1.2 worked by hand: 附录A values (0-9, A=10 … Z=35), weights 3 7 9 10 5 8 4 2."""
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(body, [3, 7, 9, 10, 5, 8, 4, 2], strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def test_usccs_carry_both_check_digits_as_the_standards_and_stdnum_compute_them(demo):
    usccs = list(Enterprise.objects.values_list("uscc", flat=True))
    assert all(u[16] == _gb11714_digit(u[8:16]) for u in usccs)  # issue 10: J, K, L, M … past H included
    assert all(stdnum_uscc.is_valid(u) for u in usccs)
    assert sum(any(ch in "JKLMNPQRTUWXY" for ch in u[8:16]) for u in usccs) > 200  # the letters that differ


def test_gansu_zones_peer_set_and_organisation(demo):
    gansu = {z.code: z for z in Zone.objects.filter(province="甘肃省")}
    lz, jc, ts, zy = (gansu[c] for c in ("GS-LZ", "GS-JC", "GS-TS", "GS-ZY"))
    assert (lz.name, lz.city, lz.division_code, lz.approved_year, lz.planned_area_km2) == (
        "兰州经济技术开发区", "兰州市", "620100", 2002, 165.32)
    assert (jc.division_code, jc.approved_year, jc.planned_area_km2) == ("620300", 2010, None)
    assert (ts.division_code, ts.approved_year, ts.planned_area_km2) == ("620500", 2010, None)
    assert (zy.division_code, zy.approved_year, zy.planned_area_km2) == ("620700", 2013, 94.57)
    assert "航空航天" in lz.leading_industries and "国家玉米种子" in zy.leading_industries
    assert sum(z.level == "provincial" for z in gansu.values()) == 15
    assert all(z.region == "west" for z in gansu.values())
    national = Zone.objects.filter(level="national_etdz")
    assert [national.filter(region=r).count() for r in ("east", "central", "west")] == [6, 4, 6]
    assert not Zone.objects.filter(is_demo=False).exists()
    for zone in gansu.values():
        committee = OrgUnit.objects.get(code=f"zone-{zone.code.lower()}")
        assert committee.zone == zone and committee.kind == "zone"
        assert committee.parent.code == f"city-{zone.division_code}" and committee.parent.kind == "city"


def test_demo_accounts_have_the_right_scopes(demo):
    admin = User.objects.get(username="demo-admin")
    assert admin.is_superuser and admin.is_staff and admin.org_unit.code == "province"
    assert admin.check_password("pw-demo-123")
    assert scope_of(admin).all_zones
    for code in ("GS-LZ", "GS-JC", "GS-TS", "GS-ZY"):
        user = User.objects.get(username=f"demo-{code.lower()}")
        assert scope_of(user).zone_ids == {Zone.objects.get(code=code).id}
        assert user.check_password("pw-demo-123") and not user.is_staff
    departments = [u["code"] for u in yaml.safe_load(ORG_UNITS.read_text(encoding="utf-8")) if u["kind"] == "department"]
    for code in departments:
        user = User.objects.get(username=f"demo-{code}")
        scope = scope_of(user)
        assert scope.kind == "department" and scope.all_zones and not scope.can_write_zone_data
    assert {"demo-dept-gxt", "demo-dept-kjt"} <= set(User.objects.values_list("username", flat=True))
    # demo-admin, the zones, the departments, each with its 督办 reviewer, and 省商务厅's clerk who drafts the
    # bulletin (no login), and the demo bank's account (jingkai.finance.demo), which sees no zone
    assert User.objects.count() == 2 * (1 + 4 + len(departments)) + 1 + 1
    assert scope_of(User.objects.get(username="demo-bank-a")).kind == "bank"
    assert not User.objects.get(username="demo-province-clerk").has_usable_password()


def test_monthly_flows_are_cumulative_and_december_is_the_annual_value(demo):
    assert latest_complete_month(TODAY) == (2026, 10)
    monthly = values(period__contains="-", zone__province="甘肃省")
    annual = values(period__in=["2022", "2023", "2024"], zone__province="甘肃省")
    series = defaultdict(dict)
    for (zone, period, key), value in monthly.items():
        series[(zone, key, period[:4])][int(period[5:])] = value
    flows = {k: v for k, v in series.items() if k[1] in gen.FLOWS}
    assert len(flows) == 19 * len(gen.FLOWS) * 5  # 19 Gansu zones, 10 flows, 2022–2026
    for (zone, key, year), months in flows.items():
        # GDP only at quarter ends (一季度 … 全年); 规上工业 and 固定资产投资 from 1—2月 on
        due = [m for m in range(1, 13 if year != "2026" else 11)
               if (key not in gen.QUARTERLY or m % 3 == 0) and (key not in gen.JAN_FEB or m > 1)]
        assert sorted(months) == due, (zone, key, year)
        cumulative = [months[m] for m in sorted(months)]
        assert all(a <= b for a, b in zip(cumulative, cumulative[1:], strict=False)), (zone, key, year)
        assert cumulative[0] >= 0
        if year in {"2022", "2023", "2024"}:
            assert months[12] == annual[(zone, year, key)], (zone, key, year)
    assert not IndicatorValue.objects.filter(period="2026-11").exists()


def test_reported_real_growth_is_plausible_and_follows_the_reporting_periods(demo):
    real = values(indicator__key__in=["gdp_growth_real", "industrial_value_added_growth_real"], zone__province="甘肃省")
    gdp = [v for (z, p, k), v in real.items() if k == "gdp_growth_real"]
    assert gdp and {int(p[5:]) for (z, p, k) in real if k == "gdp_growth_real"} == {3, 6, 9, 12}
    assert {int(p[5:]) for (z, p, k) in real if k == "industrial_value_added_growth_real"} == set(range(2, 13))
    assert {p[:4] for (z, p, k) in real} == {"2023", "2024", "2025", "2026"}  # 2022 has no base year
    assert all(-1 < v < 3 for v in real.values()) and all(round(v, 3) == v for v in real.values())
    nominal = values(indicator__key="gdp", period__in=["2025-09", "2026-09"], zone__code="GS-LZ")
    current = nominal["GS-LZ", "2026-09", "gdp"] / nominal["GS-LZ", "2025-09", "gdp"] - 1
    assert abs(real["GS-LZ", "2026-09", "gdp_growth_real"] - current) < 0.05  # real ≈ current-price growth ± prices


def test_trade_adds_up_and_value_added_stays_below_output(demo):
    rows = values()
    keys = {(z, p) for z, p, _ in rows}
    for zone, period in keys:
        if (zone, period, "trade_total") in rows:
            total = rows[(zone, period, "exports")] + rows[(zone, period, "imports")]
            assert rows[(zone, period, "trade_total")] == pytest.approx(total, abs=0.005)
            assert rows[(zone, period, "high_tech_trade")] <= rows[(zone, period, "trade_total")]
            if (zone, period, "industrial_output") in rows:  # not in January: reported 1—2月 merged
                assert rows[(zone, period, "industrial_value_added")] <= rows[(zone, period, "industrial_output")]


def test_peer_set_is_calibrated_to_the_published_national_totals(demo):
    def national_total(key, year):
        return sum(v for (_, p, k), v in values(zone__level="national_etdz", period=str(year)).items() if k == key)

    assert national_total("gdp", 2024) == pytest.approx(16.9e8, rel=1e-6)
    assert national_total("gdp", 2020) == pytest.approx((10.5e8 * 12.8e8) ** 0.5, rel=1e-6)  # interpolated
    assert national_total("trade_total", 2022) == pytest.approx(10.3e8, rel=1e-5)
    assert national_total("fdi_actual_usd", 2019) == pytest.approx(547.6e4, rel=1e-5)
    assert national_total("high_tech_enterprises", 2023) == pytest.approx(73000, abs=16)
    # Every catalogue indicator has a value for every national zone and year.
    assert IndicatorValue.objects.filter(zone__level="national_etdz", period__in=[str(y) for y in gen.NATIONAL_YEARS]
                                         ).count() == 16 * 6 * 24


def test_enterprise_years_are_complete_and_consistent(demo):
    rows = {(y["enterprise_id"], y["year"]): SimpleNamespace(**y)
            for y in YearRows(PROVINCE, enterprise_fields=["enterprise_id"])}
    assert len(rows) == 300 * 4 and {year for _, year in rows} == {2021, 2022, 2023, 2024}
    assert all(t.objects.count() == 300 * 4 for t in YEAR_TABLES)  # every enterprise-year in every table
    fields = [f.name for t in YEAR_TABLES for f in t.fact_fields()]
    for (enterprise, year), row in rows.items():
        assert all(getattr(row, f) is not None for f in fields), (enterprise, year)
        if year > 2021:
            before = rows[(enterprise, year - 1)]
            assert row.main_revenue_prev == before.main_revenue
            assert row.main_revenue_prev2 == before.main_revenue_prev
            assert row.rd_expense_prev == before.rd_expense
            assert row.ip_class1 >= before.ip_class1
        assert row.rd_expense <= 0.1 * row.main_revenue
        assert row.total_liabilities <= row.total_assets
        assert row.energy_tce_equivalent >= row.energy_tce
        assert row.ip_class1_self <= row.ip_class1 and row.ip_class1_high_value <= row.ip_class1
        assert row.rd_staff <= row.employees
    for table in YEAR_TABLES:
        for row in table.objects.filter(year=2024)[:100]:
            row.full_clean()  # the model's own validators (fractions, 0–4 levels …)
    for enterprise in Enterprise.objects.all():
        industrial = enterprise.industry_code[0] in "BCD"
        assert enterprise.above_scale == (industrial and rows[(enterprise.id, 2024)].main_revenue >= 2000)
    assert Enterprise.objects.filter(size_class__in=["small", "micro"]).count() > 0.8 * 300


def test_tags_have_validity_dates_not_after_today(demo):
    tags = list(EnterpriseTag.objects.all())
    assert tags
    assert all(t.valid_from <= TODAY for t in tags)
    for tag in tags:
        if tag.tag == "high_tech_enterprise":  # three-year certificates
            assert tag.valid_to == tag.valid_from.replace(year=tag.valid_from.year + 3) - dt.timedelta(days=1)


def test_demo_industry_codes_are_gbt4754_2017_classes():
    industries = gen.load("industries")
    for code, spec in industries.items():
        assert industry_level(code) == "小类", code
        assert industry_name(code) == spec["name"], code
    gansu = gen.load("gansu")
    used = {c for z in gansu["national"] + gansu["provincial"] for c in z["industries"]}
    assert used <= set(industries)


def test_demo_command_builds_and_prints_accounts(db, capsys, monkeypatch):
    from jingkai.demo.management.commands import demo as command

    monkeypatch.setattr(command, "DemoSize", lambda enterprises: SMALL)
    call_command("demo", "--no-serve", "--password", "pw-cli-1234", "--seed", "3", verbosity=0)
    out = capsys.readouterr().out
    for username in ("demo-admin", "demo-gs-lz", "demo-gs-zy", "demo-dept-gxt", "demo-gs-lz-reviewer"):
        assert username in out
    assert "pw-cli-1234" in out
    assert User.objects.get(username="demo-gs-ts").check_password("pw-cli-1234")
    assert User.objects.get(username="demo-gs-ts-reviewer").check_password("pw-cli-1234")
    assert Enterprise.objects.count() == 300


def test_serve_runs_waitress_on_the_given_address(capsys, monkeypatch):
    import socket

    import waitress

    class Server:
        def run(self):
            calls.append("run")

        def close(self):
            calls.append("close")

    calls = []
    monkeypatch.setattr(waitress, "create_server", lambda app, **kw: calls.append((app, kw)) or Server())
    with socket.socket() as probe:  # a port nobody listens on (the command checks that it is free)
        probe.bind(("0.0.0.0", 0))
        port = probe.getsockname()[1]
    call_command("serve", host="0.0.0.0", port=port, server="waitress")
    assert f"http://0.0.0.0:{port}/" in capsys.readouterr().out
    (app, kw), *rest = calls
    assert callable(app) and kw["host"] == "0.0.0.0" and kw["port"] == port and rest == ["run", "close"]


def test_serve_reports_a_busy_port_in_chinese():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(CommandError, match="端口可能已被占用"):
            call_command("serve", host="127.0.0.1", port=busy.getsockname()[1])


def test_gansu_high_tech_counts_match_the_enterprise_tags(demo):
    for zone in Zone.objects.filter(province="甘肃省"):
        for year in (2022, 2024):
            end = dt.date(year, 12, 31)
            tagged = EnterpriseTag.objects.filter(tag="high_tech_enterprise", enterprise__zone=zone, valid_from__lte=end,
                                                  valid_to__gte=end).values("enterprise").distinct().count()
            value = IndicatorValue.objects.get(zone=zone, period=str(year), indicator__key="high_tech_enterprises")
            assert value.value == tagged, (zone.code, year)
