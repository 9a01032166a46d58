"""更正申请: the one way to change a figure of an approved report — a reason, a second review by somebody else,
the value changed through the intake with its audit keeping before and after, the request keeping both."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingkai.audit.models import AuditEntry
from jingkai.intake.services import run_import_rows
from jingkai.monitoring.corrections import request_correction, review_correction
from jingkai.monitoring.models import CorrectionRequest, ReportingCalendar, Submission
from jingkai.testing import make_user
from jingkai.zones.models import Indicator, IndicatorValue


@pytest.fixture
def approved(site_data, lz_zone_user):
    cal = ReportingCalendar.objects.create(name="月报", frequency="month", due_day=10)
    cal.indicators.set(Indicator.objects.filter(key__in=["industrial_output", "tax_revenue"]))
    cal.zones.set(site_data.values())
    return Submission.objects.create(calendar=cal, zone=site_data["GS-LZ"], period="2025-09", state="approved",
                                     submitted_by=lz_zone_user, submitted_at="2025-10-05T10:00:00+08:00")


def _tax():
    return IndicatorValue.objects.get(zone__code="GS-LZ", period="2025-09", indicator__key="tax_revenue")


def test_a_correction_changes_the_value_after_a_second_review(approved, lz_zone_user, prov_user):
    correction = request_correction(lz_zone_user, approved, "tax_revenue", "1850", "税务部门更正了入库数")
    assert correction.state == "pending" and correction.old_value == 1800 and _tax().value == 1800  # not yet
    done = review_correction(prov_user, correction, approve=True, comment="与税务部门核实一致")
    assert done.state == "approved" and done.reviewed_by == prov_user
    saved = CorrectionRequest.objects.get(pk=correction.pk)
    assert (saved.old_value, saved.new_value, saved.reason) == (1800, 1850, "税务部门更正了入库数")
    assert _tax().value == 1850 and _tax().source == "更正申请" and "税务部门更正了入库数" in _tax().note
    assert Submission.objects.get(pk=approved.pk).state == "approved"
    entry = AuditEntry.objects.get(model="monitoring.CorrectionRequest", action="approve")
    assert entry.after["before"] == 1800 and entry.after["value"] == 1850
    assert AuditEntry.objects.filter(model="zones.IndicatorValue", user=prov_user).exists()  # the intake's audit
    # the month is still locked to ordinary entry
    rows = [{"zone_code": "GS-LZ", "period": "2025-09", "indicator": "tax_revenue", "value": "1900"}]
    assert not run_import_rows("zone-indicators", rows).ok


def test_a_rejected_correction_needs_a_reason_and_changes_nothing(approved, lz_zone_user, prov_user):
    correction = request_correction(lz_zone_user, approved, "tax_revenue", "1850", "补报")
    with pytest.raises(ValidationError, match="不同意更正时须在审核意见中写明理由"):
        review_correction(prov_user, correction, approve=False)
    assert review_correction(prov_user, correction, approve=False, comment="无依据").state == "rejected"
    assert _tax().value == 1800


def test_what_a_request_must_be(approved, lz_zone_user, jc_zone_user, prov_user):
    with pytest.raises(ValidationError, match="须写明更正原因"):
        request_correction(lz_zone_user, approved, "tax_revenue", "1850", " ")
    with pytest.raises(ValidationError, match="与已审核的数值（1800）相同"):
        request_correction(lz_zone_user, approved, "tax_revenue", "1800", "核对")
    with pytest.raises(ValidationError, match="不在兰州经济技术开发区 2025年1—9月的报表中"):
        request_correction(lz_zone_user, approved, "gdp", "1", "核对")
    with pytest.raises(PermissionDenied):
        request_correction(jc_zone_user, approved, "tax_revenue", "1850", "核对")  # another zone's report
    with pytest.raises(PermissionDenied):
        request_correction(prov_user, approved, "tax_revenue", "1850", "核对")  # the province reviews; it does not ask
    request_correction(lz_zone_user, approved, "tax_revenue", "1850", "核对")
    with pytest.raises(ValidationError, match="已有待审核的更正申请"):
        request_correction(lz_zone_user, approved, "tax_revenue", "1860", "再核对")
    Submission.objects.filter(pk=approved.pk).update(state="submitted")
    with pytest.raises(ValidationError, match="尚未审核通过"):
        request_correction(lz_zone_user, Submission.objects.get(pk=approved.pk), "industrial_output", "1", "核对")


def test_the_requester_never_approves_and_the_intake_checks_still_apply(approved, lz_zone_user, prov_user, settings):
    correction = request_correction(lz_zone_user, approved, "industrial_output", "1650", "口径调整")
    with pytest.raises(PermissionDenied):
        review_correction(lz_zone_user, correction, approve=True)
    other = make_user("prov-requester", "province")
    CorrectionRequest.objects.filter(pk=correction.pk).update(requested_by=other)
    with pytest.raises(PermissionDenied, match="本人"):
        review_correction(other, CorrectionRequest.objects.get(pk=correction.pk), approve=True)
    # 1650 falls below 1—8月 (1,700): a cumulative flow may not fall, the approval is undone
    with pytest.raises(ValidationError, match="未通过校验.*按年累计值不得低于 2025-08"):
        review_correction(prov_user, correction, approve=True)
    assert CorrectionRequest.objects.get(pk=correction.pk).state == "pending"
    assert IndicatorValue.objects.get(zone__code="GS-LZ", period="2025-09", indicator__key="industrial_output").value == 1800
    assert not AuditEntry.objects.filter(model="monitoring.CorrectionRequest", action="approve").exists()


def test_the_pages_request_review_and_keep_both_values(client, approved, lz_zone_user, prov_user):
    url = f"/monitoring/submissions/{approved.pk}/"
    client.force_login(lz_zone_user)
    page = client.get(url).content.decode()
    assert "本期报表已审核，数据已锁定" in page and "提交更正申请</button>" in page and '<option value="tax_revenue">税收收入' in page
    response = client.post(f"{url}corrections/", {"indicator": "tax_revenue", "value": "1850", "reason": ""},
                           follow=True)
    assert "更正申请须写明更正原因" in response.content.decode() and not CorrectionRequest.objects.exists()
    response = client.post(f"{url}corrections/", {"indicator": "tax_revenue", "value": "1850",
                                                   "reason": "税务部门更正了入库数"}, follow=True)
    assert "已提交“税收收入”的更正申请，待省商务厅审核。" in response.content.decode()
    correction = CorrectionRequest.objects.get()
    assert "同意更正" not in client.get(url).content.decode()  # the zone does not review

    client.force_login(prov_user)
    page = client.get(url).content.decode()
    assert "提交更正申请</button>" not in page and 'value="approve">同意更正' in page and "待审核" in page
    response = client.post(f"/monitoring/corrections/{correction.pk}/review/", {"decision": "return"}, follow=True)
    assert "不同意更正时须在审核意见中写明理由" in response.content.decode()
    response = client.post(f"/monitoring/corrections/{correction.pk}/review/", {"decision": "approve"}, follow=True)
    page = response.content.decode()
    assert "“税收收入”的更正申请：已更正。" in page
    corrections = page[page.index("<h2 class=\"section\">更正申请</h2>"):]  # the figures table names it too
    row = corrections[corrections.index("<td>税收收入</td>"):][:400]
    assert "1,800.0" in row and "1,850.0" in row and "税务部门更正了入库数" in row
    assert _tax().value == 1850


def test_another_zones_corrections_are_not_found(client, approved, jc_zone_user, lz_zone_user):
    correction = request_correction(lz_zone_user, approved, "tax_revenue", "1850", "核对")
    client.force_login(jc_zone_user)
    assert client.post(f"/monitoring/submissions/{approved.pk}/corrections/",
                       {"indicator": "tax_revenue", "value": "1", "reason": "x"}).status_code == 404
    assert client.post(f"/monitoring/corrections/{correction.pk}/review/", {"decision": "approve"}).status_code == 404
