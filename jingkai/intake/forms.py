"""The form of the import page: the kind and the file. Error messages are Chinese and name the field."""

from __future__ import annotations

from pathlib import Path

from django import forms

UPLOAD_SUFFIXES = {".xlsx", ".csv"}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="数据类别", error_messages={
        "required": "请选择数据类别。", "invalid_choice": "数据类别“%(value)s”不存在，请从列表中选择。"})
    file = forms.FileField(label="文件（.xlsx 或 .csv）", error_messages={
        "required": "请选择要导入的文件。", "empty": "上传的文件是空的。", "invalid": "没有收到文件，请重新选择。"})

    def __init__(self, *args, kinds: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds.items())  # type: ignore[attr-defined]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(
                "文件“%(name)s”的类型不对：只接受 .xlsx（填好的模板）或 .csv（表头为中文列名或字段代码）文件。",
                params={"name": upload.name})
        return upload
