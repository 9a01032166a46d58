"""Forms of 系统管理 (Chinese labels and messages)."""

from __future__ import annotations

from typing import Any

from django import forms

from jingkai.accounts.models import OrgUnit
from jingkai.sysadmin.services import personal_rights


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


def _rights_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label="个人权限", required=False, widget=forms.CheckboxSelectMultiple,
                                     choices=[(c.code, c.label) for c in personal_rights()],
                                     help_text="在所属机构角色之外单独授予本人的权限，如本单位进展报告的审核人")


class AssignForm(forms.Form):
    first_name = forms.CharField(label="姓名或称谓", max_length=150, required=False)
    org_unit = UnitChoice(label="所属机构", queryset=OrgUnit.objects.order_by("kind", "code"),
                          error_messages={"required": "请选择所属机构", "invalid_choice": "请选择列表中的机构"},
                          help_text="角色随机构类型确定：省商务厅、省直部门、市州、园区管委会")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rights"] = _rights_field()


class PasswordForm(forms.Form):
    password1 = forms.CharField(label="新密码", widget=forms.PasswordInput, min_length=8, max_length=128,
                                error_messages={"required": "请输入新密码", "min_length": "密码至少 8 位"})
    password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput, max_length=128,
                                error_messages={"required": "请再次输入新密码"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致")
        return data


class CreateForm(AssignForm, PasswordForm):
    username = forms.RegexField(label="用户名", regex=r"^[A-Za-z0-9._-]{3,50}$", max_length=50,
                                error_messages={"required": "请输入用户名",
                                                "invalid": "用户名为 3—50 位字母、数字或 . _ -"})
    field_order = ["username", "first_name", "org_unit", "rights", "password1", "password2"]
