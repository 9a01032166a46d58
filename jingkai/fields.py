"""Form fields shared by the domain apps."""

from __future__ import annotations

from typing import Any

from django import forms

from jingkai.paging import record_id


class RecordChoices(forms.ModelMultipleChoiceField):
    """Several records picked by id. A value that is no id (text, a sign, a number no column can hold: SQLite
    raises OverflowError on it) is not one of the choices, said in Chinese, rather than a 500."""

    what = "选项"  # what is chosen, in the message: 检查事项, 金融机构

    def clean(self, value: Any) -> Any:
        for v in value or ():
            if record_id(v) is None:
                raise forms.ValidationError(f"“{v}”不是可选的{self.what}", code="invalid_choice")
        return super().clean(value)
