from django.db import migrations


def load(apps, schema_editor):
    """Re-read the catalogue: 地区生产总值 is quarterly, the real growth rates (可比价) are new indicators."""
    from jingkai.zones.services import sync_reference_data

    sync_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("zones", "0005_indicatorvalue_base_revised")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
