"""The zone list's filters, and indicator entry (a zone and period, then one value field per catalogue
indicator of the period's frequency). Error messages are Chinese and name the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone

from jingkai.zones.models import Indicator, Zone
from jingkai.zones.periods import Period, is_open, open_period_message, parse_period


class ZoneFilterForm(forms.Form):
    """GET filters of the zone list; a value that is not a known choice is ignored rather than refused."""

    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *Zone.Level.choices])
    region = forms.ChoiceField(label="地区", required=False, choices=[("", "全部"), *Zone.Region.choices])
    all = forms.BooleanField(label="含外省园区（全国对标）", required=False)

    def filters(self) -> dict[str, str | bool]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"level": data.get("level") or "", "region": data.get("region") or "", "all": bool(data.get("all"))}


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
        today = timezone.localdate()
        if is_open(period, today):
            raise forms.ValidationError(open_period_message(period, today))
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

    def __init__(self, data: Mapping[str, Any] | None = None, *, indicators: list[Indicator],
                 current: dict[str, float], **kwargs: Any) -> None:
        initial = {f"v_{ind.key}": value_text(current.get(ind.key)) for ind in indicators}
        super().__init__(data, initial=initial, **kwargs)
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
