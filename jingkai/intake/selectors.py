"""Reading what the intake offers: the import/export kinds and their Chinese titles, export file names."""

from datetime import date

from jingkai.intake.kinds import all_kinds, get_kind


def kind_titles() -> dict[str, str]:
    """{kind name: Chinese title} of every import kind, in the domains' declaration order."""
    return {name: kind.title for name, kind in all_kinds().items()}


def wide_titles() -> dict[str, str]:
    """{kind name: title of its 报表-style template} of the kinds that have one."""
    return {name: f"{kind.title}{kind.wide.title}" for name, kind in all_kinds().items() if kind.wide}


def export_filename(kind: str, fmt: str, zone_code: str | None = None, today: date | None = None) -> str:
    """企业名录_20250102.csv; 兰州经济技术开发区_企业名录_20250102.csv for one zone (named through the kind's zone
    codes: intake reads no zone table itself)."""
    spec = get_kind(kind)
    names = dict(spec.zone.choices()) if zone_code and spec.zone and spec.zone.choices else {}
    zone_name = names.get(zone_code.strip().upper()) if zone_code else None
    stem = f"{zone_name}_" if zone_name else ""
    return f"{stem}{spec.title}_{today or date.today():%Y%m%d}.{fmt}"
