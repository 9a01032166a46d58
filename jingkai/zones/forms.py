"""The zone list's filters."""

from django import forms

from jingkai.zones.models import Zone


class ZoneFilterForm(forms.Form):
    """GET filters of the zone list; a value that is not a known choice is ignored rather than refused."""

    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部"), *Zone.Level.choices])
    region = forms.ChoiceField(label="地区", required=False, choices=[("", "全部"), *Zone.Region.choices])
    all = forms.BooleanField(label="含外省园区（全国对标）", required=False)

    def filters(self) -> dict[str, str | bool]:
        data = self.cleaned_data if self.is_valid() else {}
        return {"level": data.get("level") or "", "region": data.get("region") or "", "all": bool(data.get("all"))}
