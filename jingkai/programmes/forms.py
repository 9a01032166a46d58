"""The programme pages' query string (version, tier, list filters, page), validated with Chinese errors."""

from __future__ import annotations

from typing import Any

from django import forms

STATUSES = [("candidates", "推荐候选"), ("eligible", "符合条件"), ("undecided", "待定"), ("not", "不符合"), ("all", "全部")]


class FilterForm(forms.Form):
    """Filters of a programme's list. An invalid value is dropped (the list is not filtered by it) and its
    error shown next to the field; the zone is checked against the user's scope by the selectors."""

    q = forms.CharField(label="名称或信用代码", required=False, max_length=100,
                        error_messages={"max_length": "名称或信用代码：最多 %(limit_value)d 个字"})
    zone = forms.RegexField(label="园区", required=False, regex=r"^[A-Za-z0-9-]{1,20}$",
                            error_messages={"invalid": "园区：“%(value)s”不是园区代码"})
    status = forms.ChoiceField(label="范围", required=False, choices=[("", "")] + STATUSES,
                               error_messages={"invalid_choice": "范围：“%(value)s”不是可选项"})
    klass = forms.RegexField(label="类别", required=False, regex=r"^[A-Z]$",
                             error_messages={"invalid": "类别：“%(value)s”不是类别代码"})
    stage = forms.CharField(label="发展阶段", required=False, max_length=20,
                            error_messages={"max_length": "发展阶段：最多 %(limit_value)d 个字"})

    def __init__(self, data: Any, *, tier: bool, **kwargs: Any) -> None:
        data = data.copy()
        if "class" in data:  # `class` is the query-string name (a Python keyword here)
            data["klass"] = data["class"]
        super().__init__(data, **kwargs)
        self.tier = tier

    def filters(self) -> dict[str, str]:
        """The valid filters (empty strings for the others); a tier list defaults to its candidates."""
        self.is_valid()
        out = {name: (self.cleaned_data.get(name) or "").strip() if name not in self.errors else ""
               for name in self.fields}
        if self.tier and not out["status"]:
            out["status"] = "candidates"
        out["class"] = out.pop("klass")
        return out
