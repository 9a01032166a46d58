"""The POSTs of the reporting cycle, validated with Chinese messages next to the field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from jingkai.monitoring.workflows import (
    APPROVE,
    BULLETIN_FLOW,
    CORRECTION_FLOW,
    REVIEW_ACTIONS,
    SUBMISSION_FLOW,
)
from jingkai.zones.periods import parse_period


def _choices(flow: Any, actions: Sequence[str] | None = None) -> list[tuple[str, str]]:
    return [(t.action, t.label) for t in flow.transitions if actions is None or t.action in actions]


class ReviewForm(forms.Form):
    """审核通过 or 退回, with the reviewer's comment. Whether the comment is required (to return, or to approve
    despite warnings) is the workflow's rule; its refusal comes back as a form error."""

    decision = forms.ChoiceField(label="审核结论", choices=_choices(SUBMISSION_FLOW, REVIEW_ACTIONS),
                                 error_messages={"required": "请选择审核结论（审核通过或退回）",
                                                 "invalid_choice": "审核结论“%(value)s”无效，应为审核通过或退回"})
    comment = forms.CharField(label="审核意见", required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"max_length": "审核意见最多 %(limit_value)d 字（现有 %(show_value)d 字）"})

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == APPROVE


class WithdrawForm(forms.Form):
    """撤回 a report awaiting review: the reason is required (the workflow says so too)."""

    reason = forms.CharField(label="撤回原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages={
        "required": "撤回时须写明撤回原因", "max_length": "撤回原因最多 %(limit_value)d 字（现有 %(show_value)d 字）"})


class _Values(forms.MultipleChoiceField):
    """Any number of values from the page's checkboxes; the form's clean method parses them."""

    def valid_value(self, value: Any) -> bool:
        return True


def _ticked(values: Sequence[str]) -> list[str]:
    if not values:
        raise forms.ValidationError("请先勾选要审核通过的报送")
    return list(values)


class BatchSelectForm(forms.Form):
    """批量审核, step one: the reports ticked on the status matrix (the confirmation page checks each)."""

    submission = _Values(label="报送", required=False)

    def clean_submission(self) -> list[int]:
        try:
            return [int(v) for v in _ticked(self.cleaned_data["submission"])]
        except ValueError:
            raise forms.ValidationError("所选报送无效，请从报送情况页重新勾选") from None


class BatchConfirmForm(forms.Form):
    """批量审核, step two: the reports the reviewer confirmed, each with the 报送时间 it was confirmed at
    (`id@ISO time`), so that one submitted again meanwhile is not approved unseen."""

    confirmed = _Values(label="确认审核通过", required=False)

    def clean_confirmed(self) -> dict[int, datetime]:
        out: dict[int, datetime] = {}
        for token in _ticked(self.cleaned_data["confirmed"]):
            pk, _, stamp = str(token).partition("@")
            try:
                out[int(pk)] = datetime.fromisoformat(stamp)
            except ValueError:
                raise forms.ValidationError("确认信息无效，请从报送情况页重新勾选") from None
        return out


def _month(value: str) -> str:
    p = parse_period(value or "")
    if p is None or p.month is None:
        raise forms.ValidationError(f"期间“{value}”格式应为 YYYY-MM（如 2026-09）")
    if value > timezone.localdate().strftime("%Y-%m"):
        raise forms.ValidationError(f"期间“{value}”尚未到来，不能报送")
    return value


class SubmitForm(forms.Form):
    """报送: the period comes from the button's address; it must be a month."""

    period = forms.CharField(label="期间", max_length=7, error_messages={"required": "请指定报送期间"})

    def clean_period(self) -> str:
        return _month(self.cleaned_data["period"])


class BulletinDraftForm(forms.Form):
    period = forms.ChoiceField(label="期间", error_messages={
        "required": "请选择通报期间", "invalid_choice": "期间“%(value)s”不在可选范围内（近12个月）"})
    number = forms.CharField(label="发文字号", required=False, max_length=40,
                             error_messages={"max_length": "发文字号最多 %(limit_value)d 字"})
    issue_date = forms.DateField(label="成文日期", required=False, error_messages={
        "invalid": "成文日期格式应为 YYYY-MM-DD（如 2026-12-05）"})

    def __init__(self, *args: Any, periods: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(p, p) for p in periods]


class BulletinActionForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=_choices(BULLETIN_FLOW), error_messages={
        "required": "请选择操作（审核或发布）", "invalid_choice": "操作“%(value)s”无效，应为审核或发布"})


class CorrectionForm(forms.Form):
    """A 更正申请: which figure, its corrected value and why (the service judges the rest)."""

    indicator = forms.CharField(label="指标", max_length=40, error_messages={"required": "请选择要更正的指标"})
    value = forms.CharField(label="更正数值", max_length=40, error_messages={"required": "请填写更正数值"})
    reason = forms.CharField(label="更正原因", max_length=500, error_messages={
        "required": "更正申请须写明更正原因", "max_length": "更正原因最多 %(limit_value)d 字（现有 %(show_value)d 字）"})


class CorrectionReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", choices=_choices(CORRECTION_FLOW), error_messages={
        "required": "请选择审核结论（同意更正或不同意更正）",
        "invalid_choice": "审核结论“%(value)s”无效，应为同意更正或不同意更正"})
    comment = forms.CharField(label="审核意见", required=False, max_length=500,
                              error_messages={"max_length": "审核意见最多 %(limit_value)d 字（现有 %(show_value)d 字）"})

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == APPROVE
