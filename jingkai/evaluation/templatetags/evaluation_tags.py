"""Small filters for the evaluation pages."""

from django import template

from jingkai.zones.models import Zone

register = template.Library()
REGIONS = dict(Zone.Region.choices)


@register.filter
def region_label(code):
    return REGIONS.get(code, code or "—")


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def pct(value, digits=0):
    """0.123 → 12%; None → —."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def signed(value, digits=2):
    if value is None:
        return "—"
    return f"{float(value):+,.{int(digits)}f}"


@register.filter
def sub(a, b):
    if a is None or b is None:
        return None
    return float(a) - float(b)


@register.filter
def plain(value):
    """A number for an input field, exactly (repr), whole numbers without “.0”; None → empty."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
