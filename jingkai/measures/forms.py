"""The register's forms: every POST of the 督办 pages goes through one, with Chinese messages that name
the field and the value."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from jingkai.accounts.models import OrgUnit
from jingkai.measures import attachments
from jingkai.measures.services import parse_milestones
from jingkai.zones.models import Indicator

MONTH = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", "报告期“%(value)s”应写作 YYYY-MM，如 2026-06")
PERIOD = RegexValidator(r"^\d{4}(-(0[1-9]|1[0-2]))?$", "目标期间“%(value)s”应写作 YYYY 或 YYYY-MM，如 2026-12")


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}"}


class ChineseDateField(forms.DateField):
    """A date written YYYY-MM-DD; a wrong one is named with its value."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)
        self.error_messages["required"] = f"请填写{self.label}"

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(f"{self.label}“{value}”应写作 YYYY-MM-DD", code="invalid") from error


class ChineseFloatField(forms.FloatField):
    """A number; a wrong one is named with its value."""

    def to_python(self, value: Any) -> Any:  # a float (the stubs type FloatField after IntegerField)
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(f"{self.label}“{value}”不是数字", code="invalid") from error


class AttachmentField(forms.FileField):
    """A report's attachment: a type and size the register takes (`measures.attachments`), refused with a
    message naming the file and the rule."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ",".join(attachments.KINDS)}))
        super().__init__(max_length=255, **kwargs)

    def to_python(self, data: Any) -> Any:
        try:
            return super().to_python(data)
        except ValidationError as error:
            name = getattr(data, "name", "") or ""
            if error.code == "empty":
                raise ValidationError(f"附件“{name}”是空文件", code="empty") from error
            if error.code == "max_length":
                raise ValidationError(f"附件文件名“{name[:40]}…”过长：不能超过 255 个字（现为 {len(name)} 个）",
                                      code="max_length") from error
            raise ValidationError("附件无法读取，请重新选择文件", code=error.code) from error

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            attachments.validate(value)


class TaskForm(forms.Form):
    """省商务厅 cuts an action item into tasks, one per owner unit."""

    title = forms.CharField(label="任务名称", max_length=300, required=False,
                            widget=forms.TextInput(attrs={"size": 60, "placeholder": "默认取事项原文"}))
    owners = forms.ModelMultipleChoiceField(
        label="责任单位", queryset=OrgUnit.objects.none(), to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个责任单位", "invalid_choice": "责任单位“%(value)s”不存在",
                        "invalid_pk_value": "责任单位“%(pk)s”不存在"})
    start = ChineseDateField(label="开始日期")
    deadline = ChineseDateField(label="完成时限")
    milestones = forms.CharField(label="节点（每行一个：YYYY-MM-DD 节点名称）", required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    target_indicator = forms.ModelChoiceField(
        label="量化目标指标", queryset=Indicator.objects.none(), to_field_name="key", required=False,
        empty_label="无", error_messages={"invalid_choice": "量化目标指标不在可选范围内"})
    target_value = ChineseFloatField(label="目标值", required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    target_period = forms.CharField(label="目标期间", max_length=7, required=False, validators=[PERIOD],
                                    widget=forms.TextInput(attrs={"placeholder": "如 2026-12"}))

    def __init__(self, *args: Any, owners: Any, indicators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owners"].queryset = owners  # type: ignore[attr-defined]
        self.fields["target_indicator"].queryset = indicators  # type: ignore[attr-defined]
        self.fields["target_indicator"].label_from_instance = lambda i: f"{i.name}（{i.unit}）"  # type: ignore[attr-defined]

    def clean_milestones(self) -> list[tuple[date, str]]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")

    def clean_target_period(self) -> str:
        value: str = self.cleaned_data.get("target_period") or ""
        return value.strip()


class ReportForm(forms.Form):
    """A unit's progress report of a period."""

    period = forms.CharField(label="报告期", max_length=7, validators=[MONTH], error_messages=_required("报告期"),
                             widget=forms.TextInput(attrs={"pattern": r"\d{4}-\d{2}"}))
    progress = ChineseFloatField(label="完成进度（%）", min_value=0, max_value=100,
                                 error_messages={**_required("完成进度"),
                                                 "min_value": "完成进度 %(value)g 应在 0—100 之间",
                                                 "max_value": "完成进度 %(value)g 应在 0—100 之间"},
                                 widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}))
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages=_required("进展情况"))
    completes_task = forms.BooleanField(label="任务已完成，申请办结", required=False)
    attachment = AttachmentField(label="附件", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = (f"可上传 {attachments.ALLOWED_TEXT} 文件，"
                                               f"不超过 {attachments.size_text(attachments.max_bytes())}")

    def clean_text(self) -> str:
        return str(self.cleaned_data["text"]).strip()


class ActionForm(forms.Form):
    """A step of a report's review, with the reviewer's comment (required when returning)."""

    comment = forms.CharField(label="意见", max_length=500, required=False,
                              error_messages={"max_length": "意见不能超过 %(limit_value)d 个字（现为 %(show_value)d 个）"},
                              widget=forms.TextInput(attrs={"size": 40, "placeholder": "意见（退回时必填）"}))
