"""zones.0003/accounts.0003: the link between a zone and its committee moves from OrgUnit.zone to
Zone.committee, carrying the existing links over (and back when migrated backwards)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("zones", "0002_reference_data"), ("accounts", "0002_initial")]
AFTER = [("zones", "0004_zone_committee_related_name"), ("accounts", "0003_remove_orgunit_zone")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committee_links_are_carried_over_both_ways():
    try:
        old = _migrate(BEFORE)
        Zone, OrgUnit = old.get_model("zones", "Zone"), old.get_model("accounts", "OrgUnit")
        lz = Zone.objects.create(code="GS-LZ", name="兰州经济技术开发区", level="national_etdz", region="west",
                                 province="甘肃省")
        Zone.objects.create(code="GS-JC", name="金昌经济技术开发区", level="national_etdz", region="west",
                                 province="甘肃省")
        OrgUnit.objects.create(code="zone-gs-lz", name="兰州经开区管委会", kind="zone", zone=lz)
        OrgUnit.objects.create(code="city-620100", name="兰州市", kind="city")

        new = _migrate(AFTER)
        Zone, OrgUnit = new.get_model("zones", "Zone"), new.get_model("accounts", "OrgUnit")
        assert Zone.objects.get(code="GS-LZ").committee.code == "zone-gs-lz"
        assert Zone.objects.get(code="GS-JC").committee is None
        assert "zone" not in {f.name for f in OrgUnit._meta.concrete_fields}

        old = _migrate(BEFORE)
        OrgUnit = old.get_model("accounts", "OrgUnit")
        assert OrgUnit.objects.get(code="zone-gs-lz").zone_id == lz.id
        assert OrgUnit.objects.get(code="city-620100").zone_id is None
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # every app back to its latest
