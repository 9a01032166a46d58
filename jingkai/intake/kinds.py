"""Where intake finds the import kinds. Each app owns its kinds (`jingkai.<app>.imports.KINDS`); intake
names none of them."""

from functools import cache

from jingkai.intake.specs import Kind


@cache
def all_kinds() -> dict[str, Kind]:
    """Every import kind by name, in the order pages and commands list them."""
    from jingkai.enterprises import imports as enterprise_imports
    from jingkai.zones import imports as zone_imports

    return {k.name: k for k in (*enterprise_imports.KINDS, *zone_imports.KINDS)}
