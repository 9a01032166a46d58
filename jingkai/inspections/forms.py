"""The plan form (a department's own published items only) and the start-draw form (the province's)."""

from __future__ import annotations

from typing import Any

from django import forms

from jingkai.engines import inspections as engine
from jingkai.fields import RecordChoices
from jingkai.inspections.models import InspectionItem, InspectionPlan, Visit
from jingkai.zones.models import Zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemChoice(RecordChoices):
    what = "检查事项"

    def label_from_instance(self, obj: InspectionItem) -> str:
        return f"{obj.department}｜{obj.item_code} {obj.name}"


class PlanForm(forms.Form):
    title = forms.CharField(label="计划名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2024, max_value=2100)
    kind = forms.ChoiceField(label="计划类型", choices=InspectionPlan.Kind.choices)
    starts_on = forms.DateField(label="实施起始日期", widget=DATE)
    ends_on = forms.DateField(label="实施截止日期", widget=DATE)
    items = ItemChoice(label="检查事项", queryset=InspectionItem.objects.none(), widget=forms.CheckboxSelectMultiple,
                       help_text="只列本部门已公布的检查事项", error_messages={"required": "请至少选择一个检查事项"})
    reason = forms.CharField(label="专项检查事由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="专项检查须写明事由，计入年度数量控制")

    def __init__(self, department_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, ItemChoice)
        field.queryset = InspectionItem.objects.filter(department=department_name, published_on__isnull=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, year = data.get("starts_on"), data.get("ends_on"), data.get("year")
        if start and end and end < start:
            self.add_error("ends_on", "截止日期不能早于起始日期")
        if start and end and year and not (start.year == end.year == year):
            self.add_error("starts_on", f"实施期间应在 {year} 年内")
        if data.get("kind") == InspectionPlan.Kind.SPECIAL and not (data.get("reason") or "").strip():
            self.add_error("reason", "专项检查计划须写明事由")
        return data


class DrawForm(forms.Form):
    zone = forms.ModelChoiceField(label="园区", queryset=Zone.objects.none(), empty_label=None)
    period = forms.CharField(label="计划期间", max_length=10, help_text="写作 2027Q1、2027-03 或 2027")
    seed = forms.IntegerField(label="公布的随机种子", min_value=0, max_value=2**63 - 1,
                              help_text="抽取前向社会公布（如当日摇号或公证取得的数字），凭此可复核")
    items = ItemChoice(label="检查事项", queryset=InspectionItem.objects.none(), widget=forms.CheckboxSelectMultiple,
                       help_text="只列已公布的年度日常检查计划中的事项", error_messages={"required": "请至少选择一个检查事项"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields["zone"]
        items = self.fields["items"]
        assert isinstance(zone, forms.ModelChoiceField) and isinstance(items, ItemChoice)
        zone.queryset = Zone.objects.filter(enterprises__isnull=False).distinct().order_by("code")
        items.queryset = InspectionItem.objects.filter(
            plans__state=InspectionPlan.State.PUBLISHED, plans__kind=InspectionPlan.Kind.ROUTINE).distinct()

    def clean_period(self) -> engine.Period:
        try:
            return engine.parse_period(self.cleaned_data["period"].strip())
        except engine.DataError as error:
            raise forms.ValidationError(str(error)) from error



class ResultForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["result", "result_text", "published_on"]
        widgets = {"published_on": DATE, "result_text": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        published = data.get("published_on")
        if published and not data.get("result"):
            self.add_error("result", "公示前须先录入检查结果")
        if published and self.instance.visited_on and published < self.instance.visited_on:
            self.add_error("published_on", "公示日期不能早于检查日期")
        return data
