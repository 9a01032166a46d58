from django.db import migrations


def load(apps, schema_editor):
    from jingkai.zones.services import sync_reference_data

    sync_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("zones", "0001_initial"), ("accounts", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
