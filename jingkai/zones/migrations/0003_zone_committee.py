"""A zone names its management committee (Zone.committee), instead of the org unit naming its zone
(OrgUnit.zone): accounts no longer depends on zones. The link is copied over; accounts.0003 then drops
OrgUnit.zone and zones.0004 gives the relation its final reverse name (OrgUnit.zone, read-only)."""

import django.db.models.deletion
from django.db import migrations, models


def _checks_now(schema_editor):
    """PostgreSQL defers the foreign-key checks of the rows just updated to the end of the transaction, and
    refuses to alter a table with checks pending (the field removal after copy_back): run them now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def copy_forward(apps, schema_editor):
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    Zone = apps.get_model("zones", "Zone")
    for unit_id, zone_id in OrgUnit.objects.filter(zone__isnull=False).values_list("id", "zone_id"):
        Zone.objects.filter(pk=zone_id).update(committee_id=unit_id)
    _checks_now(schema_editor)


def copy_back(apps, schema_editor):
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    Zone = apps.get_model("zones", "Zone")
    for zone_id, unit_id in Zone.objects.filter(committee__isnull=False).values_list("id", "committee_id"):
        OrgUnit.objects.filter(pk=unit_id).update(zone_id=zone_id)
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("zones", "0002_reference_data"), ("accounts", "0002_initial")]

    operations = [
        migrations.AddField(
            model_name="zone",
            name="committee",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="+", to="accounts.orgunit", verbose_name="管委会"),
        ),
        migrations.RunPython(copy_forward, copy_back),
    ]
