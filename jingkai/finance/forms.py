from __future__ import annotations

from typing import Any

from django import forms

from jingkai.enterprises.uscc import uscc_problem
from jingkai.fields import RecordChoices
from jingkai.finance import catalogue
from jingkai.finance.models import Feedback, GreenProject, Status
from jingkai.finance.selectors import banks, project_list
from jingkai.finance.services import ProjectData, PushRequest
from jingkai.zones.models import Zone


def _money(label: str, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_digits=14, decimal_places=2, required=required)


class ProjectForm(forms.Form):
    zone = forms.ModelChoiceField(label="所在园区", queryset=Zone.objects.none(), empty_label=None)
    name = forms.CharField(label="项目名称", max_length=200)
    category = forms.ChoiceField(label="项目类别")
    borrower = forms.CharField(label="融资主体", max_length=200, help_text="借款企业或项目公司全称")
    uscc = forms.CharField(label="融资主体统一社会信用代码", max_length=18)
    capex = _money("总投资（万元）")
    finance_need = _money("融资需求（万元）")
    co2_saved = _money("预计年减排二氧化碳（吨二氧化碳/年）", required=False)
    channels = forms.MultipleChoiceField(label="拟申请融资渠道", required=False, widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label="项目状态", choices=Status.choices)
    description = forms.CharField(label="建设内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)

    def __init__(self, user: Any, *args: Any, project: GreenProject | None = None, **kwargs: Any) -> None:
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {"zone": project.zone_id, "name": project.name, "category": project.category,
                                 "borrower": project.borrower, "uscc": project.uscc, "capex": project.capex,
                                 "finance_need": project.finance_need, "co2_saved": project.co2_saved,
                                 "channels": project.channels, "status": project.status,
                                 "description": project.description, "contact": project.contact}
        super().__init__(*args, **kwargs)
        cat = catalogue.of(project.catalogue) if project else catalogue.current()
        zone = self.fields["zone"]
        assert isinstance(zone, forms.ModelChoiceField)
        zone.queryset = user.scope.filter(Zone.objects.filter(committee__isnull=False), "self").order_by("code")
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [(c.code, c.name + ("" if c.confirmed else "（待确认）")) for c in cat.categories.values()]
        channels = self.fields["channels"]
        assert isinstance(channels, forms.MultipleChoiceField)
        channels.choices = [(c.code, c.name) for c in cat.channels.values()]

    def clean_uscc(self) -> str:
        value = self.cleaned_data["uscc"].strip().upper()
        problem = uscc_problem(value)
        if problem:
            raise forms.ValidationError(f"统一社会信用代码有误：{problem}")
        return value

    def data_out(self) -> ProjectData:
        d = self.cleaned_data
        return ProjectData(zone_id=d["zone"].pk, name=d["name"].strip(), category=d["category"],
                           borrower=d["borrower"].strip(), uscc=d["uscc"], capex=d["capex"],
                           finance_need=d["finance_need"], co2_saved=d["co2_saved"], channels=tuple(d["channels"]),
                           status=d["status"], description=d["description"], contact=d["contact"])


class IdChoice(RecordChoices):
    what = "项目"


class BankChoice(IdChoice):
    what = "金融机构"


class ProjectChoice(IdChoice):
    what = "项目"

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.zone.name}　{obj.name}（融资需求 {obj.finance_need:,.2f} 万元）"


class PushForm(forms.Form):
    title = forms.CharField(label="清单名称", max_length=200)
    banks = BankChoice(label="接收金融机构", queryset=banks(), widget=forms.CheckboxSelectMultiple)
    projects = ProjectChoice(label="推送项目", queryset=GreenProject.objects.none(), widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="推送说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        projects = self.fields["projects"]
        assert isinstance(projects, forms.ModelMultipleChoiceField)
        projects.queryset = project_list(user.scope).order_by("zone__code", "name")
        bank_field = self.fields["banks"]
        assert isinstance(bank_field, forms.ModelMultipleChoiceField)
        bank_field.queryset = banks()

    def request_out(self) -> PushRequest:
        d = self.cleaned_data
        return PushRequest(project_ids=[p.pk for p in d["projects"]], bank_ids=[b.pk for b in d["banks"]],
                           title=d["title"], note=d["note"])


class FeedbackForm(forms.Form):
    feedback = forms.ChoiceField(label="对接情况", choices=[c for c in Feedback.choices if c[0]])
    feedback_note = forms.CharField(label="反馈说明", required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text="授信金额、对接人、不符合的原因等")
