from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from jingkai.accounts.models import OrgUnit
from jingkai.fields import RecordChoices
from jingkai.investment.models import Agreement, CoBuild, Event, Origin, Project, Stage, Team
from jingkai.investment.selectors import (
    LeadQuery,
    chain_choices,
    coverage_choices,
    event_list,
    project_list,
    team_list,
)
from jingkai.investment.services import NewProject
from jingkai.zones.models import Zone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=200)
    company = forms.CharField(label="投资方企业", max_length=200, help_text="全称或简称均可，系统提示名称相近的在跟进企业")
    uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False, help_text="已知时填写")
    investor_country = forms.CharField(label="投资方国别（地区）", max_length=50, required=False)
    origin = forms.ChoiceField(label="线索来源", choices=Origin.choices)
    zone = forms.ModelChoiceField(label="落地园区", queryset=Zone.objects.none(), empty_label=None)
    event = forms.ModelChoiceField(label="来源活动", queryset=Event.objects.none(), required=False,
                                   empty_label="（不是招商活动带来的线索）")
    team = forms.ModelChoiceField(label="责任小分队（专班）", queryset=Team.objects.none(), required=False,
                                  empty_label="（由园区管委会负责）", help_text="须为落地园区的小分队或专班")
    next_action = forms.CharField(label="下一步工作", max_length=200, required=False)
    next_action_date = forms.DateField(label="下次跟进日期", required=False, widget=DATE)
    planned_investment = forms.DecimalField(label="计划总投资（万元）", min_value=0, max_digits=14, decimal_places=2,
                                            required=False)
    contracted_fdi = forms.DecimalField(label="合同外资（万美元）", min_value=0, max_digits=14, decimal_places=2,
                                        required=False)
    new_industry = forms.BooleanField(label="新兴产业领域", required=False)
    chain_links = forms.CharField(label="补链环节", required=False, help_text="产业链代码/环节代码，多个用逗号分隔")
    factor_needs = forms.CharField(label="要素需求", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_duplicate = forms.BooleanField(label="确认不是同一企业", required=False)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["zone"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = user.scope.filter(Zone.objects.filter(committee__isnull=False), "self").order_by("code")
        events = self.fields["event"]
        assert isinstance(events, forms.ModelChoiceField)
        events.queryset = event_list(user.scope)
        teams = self.fields["team"]
        assert isinstance(teams, forms.ModelChoiceField)
        teams.queryset = team_list(user.scope)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, zone = data.get("team"), data.get("zone")
        if team is not None and zone is not None and team.zone_id != zone.pk:
            self.add_error("team", f"“{team.name}”属于{team.zone.name}，不是落地园区的小分队")
        return data

    def new_project(self) -> NewProject:
        d = self.cleaned_data
        zone: Zone = d["zone"]
        owner_unit = OrgUnit.objects.get(zone=zone)
        links = tuple(x.strip() for x in d["chain_links"].replace("，", ",").split(",") if x.strip())
        return NewProject(
            name=d["name"], company=d["company"], uscc=d["uscc"].upper(), investor_country=d["investor_country"],
            origin=d["origin"], zone_id=zone.pk, event_id=d["event"].pk if d["event"] else None,
            team_id=d["team"].pk if d.get("team") else None, owner_unit_id=owner_unit.pk, owner_id=self.user.pk,
            next_action=d["next_action"], next_action_date=d["next_action_date"],
            planned_investment=d["planned_investment"], contracted_fdi=d["contracted_fdi"],
            new_industry=d["new_industry"], chain_links=links, factor_needs=d["factor_needs"])


class LeadSearchForm(forms.Form):
    """The board's 查询 (GET): what does not fit a choice is ignored, not refused."""

    name = forms.CharField(label="项目或企业", max_length=50, required=False)
    stage = forms.ChoiceField(label="阶段", required=False)
    owner = forms.CharField(label="责任单位或小分队", max_length=50, required=False)
    chain = forms.ChoiceField(label="产业链", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "全部阶段"), *Stage.choices]  # type: ignore[attr-defined]
        self.fields["chain"].choices = [("", "全部产业链"), *chain_choices()]  # type: ignore[attr-defined]

    def query(self) -> LeadQuery:
        data = self.cleaned_data if self.is_valid() else {}
        return LeadQuery(**{k: str(data.get(k) or "").strip() for k in ("name", "stage", "owner", "chain")})


class FollowUpForm(forms.Form):
    text = forms.CharField(label="跟进情况", widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label="跟进日期", required=False, widget=DATE)
    next_action = forms.CharField(label="下一步工作", max_length=200, required=False)
    next_action_date = forms.DateField(label="下次跟进日期", required=False, widget=DATE)


class FdiReceiptForm(forms.Form):
    month = forms.CharField(label="到位月份", max_length=7, widget=forms.DateInput(attrs={"type": "month"}),
                            help_text="如 2026-10")
    amount = forms.DecimalField(label="到位外资（万美元）", min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def clean_month(self) -> date:
        text = self.cleaned_data["month"].strip().replace("/", "-").replace(".", "-")
        try:
            year, month = (int(x) for x in text.split("-")[:2])
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError("到位月份应写为 YYYY-MM，如 2026-10") from None


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["terms", "has_preference", "preference_terms", "review_result", "review_date", "reviewer"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 2}), "preference_terms": forms.Textarea(attrs={"rows": 2}),
                   "review_date": DATE}


def _zones(user: Any) -> Any:
    return user.scope.filter(Zone.objects.filter(committee__isnull=False), "self").order_by("code")


class ZoneRecordForm(forms.ModelForm):
    """A zone's record (event, 合作共建, team): the zone among those the user may write."""

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["zone"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _zones(user)
        if len(field.queryset) == 1:
            field.empty_label = None


class EventForm(ZoneRecordForm):
    class Meta:
        model = Event
        fields = ["name", "kind", "held_on", "place", "zone", "participants"]
        widgets = {"held_on": DATE, "participants": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        zone = self.fields["zone"]
        assert isinstance(zone, forms.ModelChoiceField)
        if user.scope.all_zones:
            zone.empty_label = "（全省性活动）"
        else:
            zone.required, zone.help_text = True, "全省性活动由省级用户登记"


class CoBuildForm(ZoneRecordForm):
    class Meta:
        model = CoBuild
        fields = ["zone", "partner", "partner_region", "signed_on", "term", "sharing", "projects", "note"]
        field_classes = {"projects": RecordChoices}
        widgets = {"signed_on": DATE, "sharing": forms.Textarea(attrs={"rows": 2}),
                   "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        projects = self.fields["projects"]
        assert isinstance(projects, forms.ModelMultipleChoiceField)
        projects.queryset = project_list(user.scope).order_by("zone__code", "name")
        projects.help_text = "本地园区承接的项目，可多选"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = data.get("zone")
        outside = [p.name for p in data.get("projects") or [] if zone is not None and p.zone_id != zone.pk]
        if outside:
            self.add_error("projects", f"共建项目须为本地园区的项目：{'、'.join(outside)}不是")
        return data


class TeamForm(ZoneRecordForm):
    coverage = forms.MultipleChoiceField(label="负责的产业链或环节", required=False,
                                         widget=forms.SelectMultiple(attrs={"size": 12}),
                                         help_text="选整条产业链或其中的环节，可多选")

    class Meta:
        model = Team
        fields = ["zone", "name", "kind", "leader", "members", "coverage", "note"]
        widgets = {"members": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["coverage"].choices = [  # type: ignore[attr-defined]
            (code, f"{name}（整条产业链）" if "/" not in code else f"　{name}") for code, name in coverage_choices()]


__all__ = ["AgreementForm", "CoBuildForm", "EventForm", "FdiReceiptForm", "TeamForm", "FollowUpForm", "Project", "ProjectForm"]
