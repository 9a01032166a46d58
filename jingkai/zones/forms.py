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
    """Per indicator a value input (v_KEY) and an optional 上年同期调整值 input (b_KEY: last year's figure
    revised to this year's comparable scope, the base of 同比 when given), validated by the intake (bounds,
    cumulative rules) when saved: only what the user changed is sent, so a stored value keeps its source."""

    def __init__(self, data: Mapping[str, Any] | None = None, *, indicators: list[Indicator],
                 current: dict[str, float], current_base: dict[str, float | None] | None = None,
                 **kwargs: Any) -> None:
        current_base = current_base or {}
        initial = {f"v_{ind.key}": value_text(current.get(ind.key)) for ind in indicators}
        initial |= {f"b_{ind.key}": value_text(current_base.get(ind.key)) for ind in indicators}
        super().__init__(data, initial=initial, **kwargs)
        self.indicators = indicators
        self.current = current
        self.current_base = current_base
        for ind in indicators:
            self.fields[f"v_{ind.key}"] = forms.CharField(label=ind.name, required=False, max_length=40)
            self.fields[f"b_{ind.key}"] = forms.CharField(label=f"{ind.name}上年同期调整值", required=False,
                                                          max_length=40)

    def _text(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "").strip()

    def changed_values(self) -> dict[str, str]:
        """{indicator key: text} of the value inputs that differ from what is stored."""
        out = {}
        for ind in self.indicators:
            text = self._text(f"v_{ind.key}")
            if text != "" and text != value_text(self.current.get(ind.key)):
                out[ind.key] = text
        return out

    def changed_rows(self) -> list[dict[str, str]]:
        """The intake rows (indicator, value, base_revised) of the indicators whose value or 上年同期调整值
        changed; an unchanged value is sent as stored, an emptied 调整值 clears it. A 调整值 without a value
        is an error on its field (nothing is returned then)."""
        values = self.changed_values()
        rows = []
        for ind in self.indicators:
            base = self._text(f"b_{ind.key}")
            base_changed = base != value_text(self.current_base.get(ind.key))
            if ind.key not in values and not base_changed:
                continue
            value = values.get(ind.key) or value_text(self.current.get(ind.key))
            if value == "":
                self.add_error(f"b_{ind.key}", "填写上年同期调整值时须同时填写本期数值")
                continue
            rows.append({"indicator": ind.key, "value": value, "base_revised": base})
        return [] if self.errors else rows

    def add_indicator_error(self, key: str, message: str, column: str = "value") -> None:
        self.add_error(f"{'b' if column == 'base_revised' else 'v'}_{key}", message)
