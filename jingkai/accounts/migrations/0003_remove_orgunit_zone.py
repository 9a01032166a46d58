"""OrgUnit.zone is gone: the zone names its committee (zones.0003 copied the links to Zone.committee)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("zones", "0003_zone_committee")]

    operations = [migrations.RemoveField(model_name="orgunit", name="zone")]
