"""`{% record_history obj %}` (or `{% record_history "monitoring.Submission" "GS-LZ/2026-10" %}`): a record's
操作记录 on its own page — who, when, what, before and after in Chinese labels (audit.presentation)."""

from typing import Any

from django import template

from jingkai.audit.presentation import history

register = template.Library()


@register.inclusion_tag("audit/_history.html")
def record_history(obj: Any, key: Any = None, title: str = "操作记录", parts: str = "") -> dict:
    """`obj`: a model instance (its entries under its model, keyed by `key`, default its primary key) or a
    model label with `key`; `parts`: a model whose entries keyed "<key>/…" belong to the record too."""
    model = obj if isinstance(obj, str) else type(obj)
    object_key = key if key is not None else obj.pk
    return {"lines": history(model, object_key, parts), "title": title, "show_part": bool(parts)}
