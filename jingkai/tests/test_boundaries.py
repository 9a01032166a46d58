"""The import boundaries that must hold for every app, including apps added later: derived from
INSTALLED_APPS, so that a new domain is checked without editing a list (import-linter's contracts in
pyproject.toml name modules explicitly; they keep the engines free of Django and the apps acyclic)."""

from functools import cache

import grimp
from django.apps import apps

INTERFACES = ("jingkai.web", "jingkai.api")  # the top: they import the domains, never the reverse


@cache
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("jingkai", include_external_packages=True)


def modules_of(package: str) -> set[str]:
    return {package} | graph().find_descendants(package)


def imports_of(package: str) -> set[tuple[str, str]]:
    return {(m, imported) for m in modules_of(package) for imported in graph().find_modules_directly_imported_by(m)}


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_engines_import_nothing_of_jingkai_but_the_engines():
    outside = sorted((m, i) for m, i in imports_of("jingkai.engines")
                     if within(i, "jingkai") and not within(i, "jingkai.engines"))
    assert not outside, outside


def test_no_app_imports_the_web_pages_or_the_api():
    domain_apps = [c.name for c in apps.get_app_configs() if c.name.startswith("jingkai.") and c.name not in INTERFACES]
    assert {"jingkai.zones", "jingkai.measures", "jingkai.accounts"} <= set(domain_apps)
    upward = sorted((m, i) for app in domain_apps for m, i in imports_of(app)
                    if ".tests" not in m and any(within(i, top) for top in INTERFACES))
    assert not upward, upward
