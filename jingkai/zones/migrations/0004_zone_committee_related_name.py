"""With OrgUnit.zone removed (accounts.0003), queries reach a committee's zone as `zone__…` again and the
unit as `unit.managed_zone` (`unit.zone` is a property that gives None for units that are no committee)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("zones", "0003_zone_committee"), ("accounts", "0003_remove_orgunit_zone")]

    operations = [
        migrations.AlterField(
            model_name="zone",
            name="committee",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                       related_name="managed_zone", related_query_name="zone", to="accounts.orgunit", verbose_name="管委会"),
        ),
    ]
