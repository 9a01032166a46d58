from jingkai.accounts.scope import scope_of
from jingkai.testing import make_user
from jingkai.zones.models import Zone


def test_province_sees_every_zone(zones, province_user):
    scope = scope_of(province_user)
    assert scope.all_zones and scope.filter(Zone.objects.all(), "self").count() == 2


def test_zone_user_sees_only_its_zone(zones, lz_user):
    scope = scope_of(lz_user)
    assert list(scope.filter(Zone.objects.all(), "self").values_list("code", flat=True)) == ["GS-LZ"]
    assert scope.can_write_zone(zones["GS-LZ"].id) and not scope.can_write_zone(zones["GS-JC"].id)


def test_department_reads_all_but_writes_no_zone_data(zones, department_user):
    scope = scope_of(department_user)
    assert scope.sees_zone(zones["GS-JC"].id) and not scope.can_write_zone(zones["GS-JC"].id)


def test_city_sees_its_zones(zones):
    user = make_user("lz-city", "city-620100")
    assert list(scope_of(user).filter(Zone.objects.all(), "self").values_list("code", flat=True)) == ["GS-LZ"]


def test_user_without_unit_sees_nothing(zones):
    user = make_user("nobody")
    assert scope_of(user).filter(Zone.objects.all(), "self").count() == 0
