"""Forms of 绿色低碳: the data gate, the year to account, and the what-if (装机 MW and 利用小时数, 绿证 MWh)."""

from __future__ import annotations

from django import forms

from jingkai.engines import carbon as engine


class GateForm(forms.Form):
    boundary = forms.BooleanField(label="园区边界（四至）已确认", required=False)
    enterprise_list = forms.BooleanField(label="园区企业名单已确认", required=False)
    baseline_year = forms.IntegerField(label="基准年", required=False, min_value=2000, max_value=2100)
    factor_set = forms.ChoiceField(label="因子集", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor_set"].choices = [("", "未确认")] + [  # type: ignore[attr-defined]
            (i, f"{engine.load(i).version} 版") for i in engine.available()]


class AccountForm(forms.Form):
    year = forms.TypedChoiceField(label="核算年度", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, f"{y} 年") for y in years]  # type: ignore[attr-defined]


class WhatIfForm(forms.Form):
    pv_mw = forms.FloatField(label="新增分布式光伏（兆瓦）", required=False, min_value=0)
    hours = forms.FloatField(label="年等效满负荷利用小时数", required=False, min_value=0, max_value=8760)
    certificates_mwh = forms.FloatField(label="新增注销绿证电量（兆瓦时）", required=False, min_value=0)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("pv_mw") and not data.get("hours"):
            self.add_error("hours", "测算分布式光伏须填写年等效满负荷利用小时数（无官方数值，待确认，请按当地资源填写）")
        return data
