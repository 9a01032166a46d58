"""The enterprise list's filters."""

from django import forms

from jingkai.enterprises.models import Enterprise


class EnterpriseFilterForm(forms.Form):
    """GET filters of the enterprise list. Values are kept as typed so the form shows them back; a size or a
    规上 value that is not a known choice is ignored rather than refused."""

    q = forms.CharField(label="名称或信用代码", required=False, max_length=100)
    zone = forms.CharField(label="园区", required=False, max_length=32)
    industry = forms.CharField(label="行业代码", required=False, max_length=10)
    # `scale`, not `size`: `size` is every list's page size (jingkai.paging)
    scale = forms.ChoiceField(label="规模", required=False, choices=[("", "全部"), *Enterprise.Size.choices])
    above_scale = forms.ChoiceField(label="规上", required=False, choices=[("", "全部"), ("1", "规上"), ("0", "规下")])

    def filters(self) -> dict[str, str]:
        """The filters as text (what the template shows back), each field cleaned on its own."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: str(data.get(name) or "").strip() for name in self.fields}

    def query(self) -> dict:
        """Keyword arguments for `selectors.enterprise_list`."""
        f = self.filters()
        return {"q": f["q"] or None, "zone_code": f["zone"] or None, "industry_code": f["industry"] or None,
                "size_class": f["scale"] or None, "above_scale": {"1": True, "0": False}.get(f["above_scale"])}
