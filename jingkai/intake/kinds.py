"""Where intake finds the import kinds: each domain app owns its kinds and declares them in its `apps.py`
(`Domain(import_kinds="jingkai.<app>.imports:KINDS")`); intake names none of them and imports no domain."""

from functools import cache

from jingkai import registry
from jingkai.intake.specs import Kind


@cache
def all_kinds() -> dict[str, Kind]:
    """Every import kind by name, in the order pages and commands list them (the domains' INSTALLED_APPS
    order). Cached: the registry is fixed once the apps are loaded, and loading the kinds imports the domains'
    import modules (their models' columns)."""
    kinds: dict[str, Kind] = {}
    for kind in registry.import_kinds():
        if kind.name in kinds:
            raise ValueError(f"导入数据类型“{kind.name}”被重复声明")
        kinds[kind.name] = kind
    return kinds


def get_kind(name: str) -> Kind:
    kinds = all_kinds()
    try:
        return kinds[name]
    except KeyError:
        raise ValueError(f"未知的数据类型“{name}”，应为 {' / '.join(kinds)}") from None
