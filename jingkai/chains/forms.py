"""The 链主采购 form: one supplier's purchases of a year, for a 链主 of a zone the user may write."""

from __future__ import annotations

from typing import Any

from django import forms

from jingkai.chains.models import ChainLeader, LeaderPurchase
from jingkai.chains.services import DEFAULT_CATALOGUE, catalogue


class PurchaseForm(forms.ModelForm):
    class Meta:
        model = LeaderPurchase
        fields = ["leader", "year", "supplier", "supplier_uscc", "amount", "local"]
        labels = {"amount": "采购额（万元）"}

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        assert isinstance(leader, forms.ModelChoiceField)
        leader.queryset = user.scope.filter(ChainLeader.objects.select_related("enterprise"),
                                            "enterprise__zone").order_by("enterprise__name", "chain")
        names = {c.code: c.name for c in catalogue(DEFAULT_CATALOGUE).chains}
        leader.label_from_instance = (  # type: ignore[method-assign]
            lambda obj: f"{obj.enterprise.name}（{names.get(obj.chain, obj.chain)}）")
        self.fields["year"].min_value = 2000  # type: ignore[attr-defined]
