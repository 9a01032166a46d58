"""Reference data every installation has: the province, its departments and the indicator catalogue."""

from pathlib import Path

import yaml
from django.apps import apps as django_apps
from django.db import transaction

DATA = Path(__file__).resolve().parent / "data"
ORG_UNITS = Path(__file__).resolve().parent.parent / "accounts" / "data" / "org_units.yaml"


def ensure_reference_data() -> None:
    """Put the reference data back when it is gone. A transactional test (the browser tests) flushes the
    tables the migrations filled (reference data, permissions), and serialized rollback does not restore them
    once Playwright has run."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    from jingkai.accounts.models import OrgUnit
    from jingkai.zones.models import Indicator

    if not (Indicator.objects.exists() and OrgUnit.objects.filter(code="province").exists()):
        sync_reference_data()
    if not Permission.objects.exists():  # made after migrate (post_migrate), flushed with the rest
        for app in django_apps.get_app_configs():
            create_permissions(app, verbosity=0)


@transaction.atomic
def sync_reference_data(apps=None) -> None:
    """Create or update the org units and indicators from the shipped YAML (idempotent).

    `apps` is the migration state when called from a data migration, else the live models.
    """
    if apps is None:
        from django.apps import apps
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    Indicator = apps.get_model("zones", "Indicator")
    for unit in yaml.safe_load(ORG_UNITS.read_text(encoding="utf-8")):
        OrgUnit.objects.update_or_create(code=unit["code"], defaults={"name": unit["name"], "kind": unit["kind"]})
    province = OrgUnit.objects.get(code="province")
    OrgUnit.objects.filter(kind="department", parent=None).update(parent=province)
    fields = {f.name for f in Indicator._meta.get_fields()}
    for item in yaml.safe_load((DATA / "indicators.yaml").read_text(encoding="utf-8")):
        # reporting conventions the engine reads from the file itself (merged_jan_feb, growth_of) stay there
        item = {k: v for k, v in item.items() if k in fields or k == "key"}
        department = item.pop("source_department", None)
        item["source_department"] = OrgUnit.objects.get(code=department) if department else None
        item.setdefault("unverified", True)
        Indicator.objects.update_or_create(key=item.pop("key"), defaults=item)
