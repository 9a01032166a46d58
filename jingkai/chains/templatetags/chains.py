from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.667 → 67%; None → —."""
    return "—" if value is None else f"{float(value) * 100:.0f}%"
