"""更正申请: the one way to change a figure of an approved report. A zone (or its city) asks with a reason; the
province reviews it again (never the requester); approving writes the value through the intake — the same checks
as any entry (bounds, cumulative months), its audit keeping before and after — and the request keeps both values.
The report stays 已审核 with its quality checks run again on the corrected figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingkai.accounts import authz
from jingkai.audit.services import record
from jingkai.intake.services import run_import_rows
from jingkai.monitoring import capabilities as caps
from jingkai.monitoring.locks import correcting
from jingkai.monitoring.models import CorrectionRequest, Submission
from jingkai.monitoring.selectors import quality_check
from jingkai.monitoring.workflows import APPROVE, CORRECTION_FLOW, RETURN
from jingkai.zones.models import IndicatorValue
from jingkai.zones.periods import parse_period


def _label(period: str) -> str:
    parsed = parse_period(period)
    return parsed.label() if parsed else period


@transaction.atomic
def request_correction(user: Any, submission: Submission, indicator_key: str, value: str,
                       reason: str) -> CorrectionRequest:
    authz.require(user, caps.SUBMIT)
    if not user.scope.can_write_zone(submission.zone_id):
        raise PermissionDenied(f"您无权申请更正{submission.zone.name}的数据")
    submission = Submission.objects.select_for_update().select_related("zone", "calendar").get(pk=submission.pk)
    where = f"{submission.zone.name} {_label(submission.period)}"
    if submission.state != Submission.State.APPROVED:
        raise ValidationError(f"{where}的报表尚未审核通过，可直接修改数据后报送，无需更正申请")
    indicator = submission.calendar.indicators.filter(key=indicator_key).first()
    if indicator is None:
        raise ValidationError(f"指标“{indicator_key}”不在{where}的报表中")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("更正申请须写明更正原因")
    try:
        new_value = float(str(value).strip().replace(",", ""))
    except ValueError:
        raise ValidationError(f"更正数值“{value}”不是数字") from None
    stored = IndicatorValue.objects.filter(zone_id=submission.zone_id, period=submission.period,
                                           indicator=indicator).values_list("value", flat=True).first()
    if stored is not None and stored == new_value:
        raise ValidationError(f"更正数值与已审核的数值（{stored:g}）相同，无需更正")
    if CorrectionRequest.objects.filter(submission=submission, indicator=indicator,
                                        state=CorrectionRequest.State.PENDING).exists():
        raise ValidationError(f"{where}的“{indicator.name}”已有待审核的更正申请")
    correction = CorrectionRequest.objects.create(submission=submission, indicator=indicator, old_value=stored,
                                                  new_value=new_value, reason=reason, requested_by=user)
    record(user, "request_correction", "monitoring.CorrectionRequest",
           f"{submission.zone.code}/{submission.period}/{indicator.key}",
           before={"value": stored}, after={"value": new_value, "reason": reason, "state": correction.state})
    return correction


def review_correction(user: Any, correction: CorrectionRequest, approve: bool, comment: str = "") -> CorrectionRequest:
    """The province approves (the value changes) or rejects (with a reason) a pending request."""
    return CORRECTION_FLOW.apply(user, correction, APPROVE if approve else RETURN, comment)


def apply_correction(user: Any, correction: CorrectionRequest) -> float | None:
    """Write the corrected value (inside the approval's transaction); returns the value it replaced."""
    submission = correction.submission
    key = (submission.zone_id, submission.period, correction.indicator_id)
    before = IndicatorValue.objects.filter(zone_id=key[0], period=key[1], indicator_id=key[2]).values_list(
        "value", flat=True).first()
    rows = [{"zone_code": submission.zone.code, "period": submission.period, "indicator": correction.indicator.key,
             "value": f"{correction.new_value:.15g}", "note": f"更正申请：{correction.reason}"[:200]}]
    with correcting([key]):
        result = run_import_rows("zone-indicators", rows, user=user, zone_code=submission.zone.code,
                                 source="更正申请", capability=caps.REVIEW)
    if not result.ok:
        raise ValidationError("更正数值未通过校验，未作更正：" + "；".join(e.message for e in result.errors))
    correction.old_value = before  # what was approved, as it stood when the correction was made
    Submission.objects.filter(pk=submission.pk).update(
        violations=quality_check(submission.calendar, submission.zone, submission.period))
    return before
