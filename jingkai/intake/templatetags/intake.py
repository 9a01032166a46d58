"""`{% export_buttons kinds zone=CODE %}`: CSV and Excel export links for the given kinds, on any app's page."""

from collections.abc import Iterable

from django import template

from jingkai.intake.selectors import kind_titles

register = template.Library()


@register.inclusion_tag("intake/_export_buttons.html")
def export_buttons(kinds: Iterable[str], zone: str = "") -> dict:
    titles = kind_titles()
    return {"export_kinds": [(k, titles[k]) for k in kinds if k in titles], "export_zone": zone}
