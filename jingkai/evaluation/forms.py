"""Input of the evaluation pages: which run to show, computing a run, what-if values and the target path.
Errors are in Chinese and name the field and the value."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from jingkai.evaluation.selectors import DEFAULT_METHODOLOGY, methodology_choices
from jingkai.zones.models import Zone

SENSITIVITY_CHOICES = [(0, "不做"), (200, "N = 200"), (500, "N = 500（约 3000 次重算）")]
TARGET_KINDS = [("group_rank", "本地区排名达到第"), ("rank", "全国排名达到第"), ("out_of_bottom", "跳出本地区后五名")]
REGIONS = [("", "全国")] + list(Zone.Region.choices)


def _invalid_choice(label: str) -> dict[str, str]:
    return {"invalid_choice": f"{label}：“%(value)s”不是可选项", "required": f"请选择{label}"}


class SelectionForm(forms.Form):
    """The run shown (query string of the ranking, the scorecard and the exports). An invalid value falls
    back to the default (the latest year, 全国, the national methodology) and its error is shown."""

    methodology = forms.ChoiceField(label="评价方法", required=False, error_messages=_invalid_choice("评价方法"))
    year = forms.IntegerField(label="数据年度", required=False, min_value=1900, max_value=2999,
                              error_messages={"invalid": "数据年度须为四位数年份", "min_value": "数据年度须为四位数年份",
                                              "max_value": "数据年度须为四位数年份"})
    region = forms.ChoiceField(label="地区", required=False, choices=REGIONS, error_messages=_invalid_choice("地区"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["methodology"]).choices = [("", "")] + list(methodology_choices())

    def value(self, name: str) -> Any:
        """The cleaned value, or the default when the field is invalid or empty."""
        self.is_valid()
        value = self.cleaned_data.get(name) if name not in self.errors else None
        if name == "methodology":
            return value or DEFAULT_METHODOLOGY
        return value if value not in ("", None) else None


class ComputeForm(forms.Form):
    methodology = forms.ChoiceField(label="评价方法", error_messages=_invalid_choice("评价方法"))
    year = forms.IntegerField(label="计算年度", required=False, min_value=1900, max_value=2999,
                              error_messages={"invalid": "计算年度须为四位数年份", "min_value": "计算年度须为四位数年份",
                                              "max_value": "计算年度须为四位数年份"})
    # Django takes any empty_value (its docs: "None is another common choice"); the stubs allow str | None only.
    sensitivity = forms.TypedChoiceField(label="不确定性分析", coerce=int, required=False,
                                         empty_value=0,  # type: ignore[arg-type]
                                         choices=SENSITIVITY_CHOICES,
                                         error_messages={"invalid_choice": "不确定性分析：样本数“%(value)s”不是可选项"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["methodology"]).choices = list(methodology_choices())


class NumberField(forms.CharField):
    """A number as typed (thousands separators allowed); empty is None. The error names the indicator."""

    def __init__(self, *, name: str, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.indicator_name = name

    def to_python(self, value: Any) -> float | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip().replace(",", "")
        if text == "":
            return None
        try:
            return float(text)
        except ValueError:
            raise ValidationError(f"{self.indicator_name}：“{text}”不是数字", code="invalid") from None


class WhatIfForm(forms.Form):
    """One field per indicator and bonus column; `changes` are the values that differ from the run's."""

    def __init__(self, *args: Any, meth: Any, current: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        for i in meth.indicators:
            self.fields[i.code] = NumberField(name=i.name, label=i.name)
        for b in meth.bonus:
            self.fields[b.column] = NumberField(name=b.name, label=b.name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.changes(data):
            raise ValidationError("没有修改任何指标值", code="unchanged")
        return data

    def changes(self, data: dict[str, Any] | None = None) -> dict[str, float | None]:
        data = self.cleaned_data if data is None else data
        out: dict[str, float | None] = {}
        for col, value in data.items():
            current = self.current.get(col)
            if value is not None and (current is None or abs(value - current) > 1e-12 * max(1.0, abs(current))):
                out[col] = value
        return out


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label="目标", choices=TARGET_KINDS, error_messages={
        "required": "请选择目标类型", "invalid_choice": "请选择目标类型"})
    rank = forms.IntegerField(label="名次", required=False, min_value=1, error_messages={
        "invalid": "目标名次须为正整数", "min_value": "目标名次须为正整数"})
    probability = forms.FloatField(label="概率", required=False, error_messages={"invalid": "概率须为 0 到 1 之间的小数"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data["kind"] == "out_of_bottom":
            p = data.get("probability")
            if p is None:
                data["probability"] = 0.9
            elif not 0 < p <= 1:
                self.add_error("probability", "概率须在 0 到 1 之间")
        elif data.get("rank") is None:
            self.add_error("rank", "目标名次须为正整数")
        return data

    def goal(self) -> dict[str, Any]:
        data = self.cleaned_data
        if data["kind"] == "out_of_bottom":
            return {"out_of_bottom": 5, "probability": data["probability"], "runs": 100}
        return {data["kind"]: data["rank"]}


def error_texts(form: forms.Form) -> list[str]:
    """Every error of the form, each naming its field (for the HTMX result panes)."""
    return [str(e) for errors in form.errors.values() for e in errors]
