"""Number formatting for Chinese statistical tables."""

from django import template

from jingkai.enterprises.industry import industry_name as _industry_name

register = template.Library()

COUNT_UNITS = {"个", "家", "人", "项"}


@register.filter
def num(value, digits=0):
    """1234567.8 → 1,234,568; None → —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    try:
        return f"{float(value):,.{int(digits)}f}"
    except (TypeError, ValueError):
        return value


@register.filter
def yoy(value):
    """A growth rate as 同比 text: 0.052 → +5.2%."""
    if value is None:
        return "—"
    text = f"{value * 100:+.1f}%"
    return "0.0%" if text in ("+0.0%", "-0.0%") else text  # no signed zero


@register.filter
def points(value):
    """A change of a ratio in percentage points: 0.0009 → +0.09个百分点."""
    if value is None:
        return "—"
    return f"{value * 100:+.2f}个百分点"


@register.filter
def yoy_class(value):
    if value is None:
        return "flat"
    return "up" if value > 0 else "down" if value < 0 else "flat"


@register.filter
def indicator_value(value, unit):
    """A value in its catalogue unit: fractions as percentages, counts without decimals."""
    if value is None:
        return "—"
    if unit == "fraction":
        return f"{value * 100:.2f}%"
    if unit in COUNT_UNITS:
        return num(value, 0)
    return num(value, 1 if abs(value) >= 100 else 2)


@register.filter
def unit_label(unit):
    return "%" if unit == "fraction" else unit


@register.filter
def industry_name(code):
    """GB/T 4754-2017 name of an industry code (C38 → 电气机械和器材制造业); empty when unknown."""
    return _industry_name(code) or ""


@register.filter
def chinese_message(value) -> str:
    """An error's message when it is written in Chinese (ours are: 您无权…), else "": Django's own English
    messages are not shown on screen."""
    text = str(value or "").strip().rstrip("。")
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else ""


@register.inclusion_tag("web/_sort_heading.html", takes_context=True)
def sort_heading(context, listing, key: str, css: str = ""):
    """A list's column heading (jingkai.lists): a link that sorts by it (again: the other way), with ▲/▼ on the
    current sort; the other query parameters stay, the page goes back to the first."""
    column = listing.by_key[key]
    current = listing.sort == key
    params = context["request"].GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    params["sort"] = key
    params["dir"] = "desc" if current and not listing.descending else "asc"
    return {"column": column, "current": current, "descending": listing.descending, "css": css,
            "query": params.urlencode(), "htmx_target": context.get("htmx_target")}


VERSION_WORDS = {"draft": "草案", "provisional": "临时方案", "default": "默认方案"}


@register.filter
def version_label(value) -> str:
    """A rule file's version as people read it: "2021.1-draft" → 2021.1（草案）, "provisional-2" → 临时方案第2版,
    "default-2" → 默认方案第2版, "2026" → 2026. Words it does not know are left out, never shown raw."""
    text = str(value or "").strip()
    number = "".join(part for part in text.replace("_", "-").split("-") if part[:1].isdigit())
    words = [VERSION_WORDS[w] for w in text.replace("_", "-").split("-") if w in VERSION_WORDS]
    if not words:
        return number or "—"
    if number and text[:1].isdigit():
        return f"{number}（{'、'.join(words)}）"
    return f"{'、'.join(words)}{f'第{number}版' if number else ''}"


@register.simple_tag
def cell(listing, key: str, row):
    """The value a list's column gives a row, as its export writes it (jingkai.lists.Column.of)."""
    value = listing.by_key[key].of(row)
    return "—" if value is None or value == "" else value
