"""The forms of the intake pages: the file upload, and indicator entry (a zone and period, then one value
field per catalogue indicator of the period's frequency). Error messages are Chinese and name the field."""

from __future__ import annotations

from pathlib import Path

from django import forms

from jingkai.zones.models import Indicator, Zone
from jingkai.zones.periods import Period, parse_period

UPLOAD_SUFFIXES = {".xlsx", ".csv"}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="数据类别", error_messages={
        "required": "请选择数据类别。", "invalid_choice": "数据类别“%(value)s”不存在，请从列表中选择。"})
    file = forms.FileField(label="文件（.xlsx 或 .csv）", error_messages={
        "required": "请选择要导入的文件。", "empty": "上传的文件是空的。", "invalid": "没有收到文件，请重新选择。"})

    def __init__(self, *args, kinds: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds.items())  # type: ignore[attr-defined]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                "文件“%(name)s”的类型不对：只接受 .xlsx（填好的模板）或 .csv（表头为规范键名）文件。",
                params={"name": upload.name})
        return upload


class EntryTargetForm(forms.Form):
    """Which zone and period to fill in (GET to open the form, and the hidden fields of the POST)."""

    zone = forms.ChoiceField(label="园区", required=False)
    period = forms.CharField(label="期间", max_length=7, required=False)

    def __init__(self, *args, zones: list[Zone], default_period: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zones = {z.code: z for z in zones}
        self.fields["zone"].choices = [("", "请选择园区"), *((z.code, z.name) for z in zones)]  # type: ignore[attr-defined]
        self.default_period = default_period

    def clean_period(self) -> Period:
        text = (self.cleaned_data.get("period") or self.default_period).strip()
        period = parse_period(text)
        if period is None:
            raise forms.ValidationError("期间格式应为 YYYY-MM（按年累计）、YYYY-Qn 或 YYYY，填写的“%(value)s”不符合",
                                        params={"value": text})
        return period

    @property
    def selected_zone(self) -> Zone | None:
        code = self.cleaned_data.get("zone") if hasattr(self, "cleaned_data") else None
        return self.zones.get(code) if code else None

    @property
    def period_text(self) -> str:
        return str(self.data.get("period") or self.default_period).strip()


def value_text(value: float | None) -> str:
    """A stored value as the input shows it (no float noise: 1800.0 → 1800)."""
    return "" if value is None else f"{value:.10g}"


class IndicatorValuesForm(forms.Form):
    """One text input per indicator (named v_KEY), validated by the intake (bounds, cumulative rules) when
    saved: only what the user changed is sent, so a stored value keeps its source."""

    def __init__(self, *args, indicators: list[Indicator], current: dict[str, float], **kwargs) -> None:
        initial = {f"v_{ind.key}": value_text(current.get(ind.key)) for ind in indicators}
        super().__init__(*args, initial=initial, **kwargs)
        self.indicators = indicators
        self.current = current
        for ind in indicators:
            self.fields[f"v_{ind.key}"] = forms.CharField(label=ind.name, required=False, max_length=40)

    def changed_values(self) -> dict[str, str]:
        """{indicator key: text} of the inputs that differ from what is stored."""
        out = {}
        for ind in self.indicators:
            text = str(self.cleaned_data.get(f"v_{ind.key}") or "").strip()
            if text != "" and text != value_text(self.current.get(ind.key)):
                out[ind.key] = text
        return out

    def add_indicator_error(self, key: str, message: str) -> None:
        self.add_error(f"v_{key}", message)
