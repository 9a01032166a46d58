"""Who sees what. Every selector, view, API endpoint, import and export filters through here.

- province (省商务厅) and superusers: every zone;
- a department (省直部门): every zone, read-only for zone data (departments run province-wide
  programmes; they write their own tasks and programme data, not the zones' reports);
- a city: the zones in its city;
- a zone committee: its own zone only;
- anyone else: nothing.
"""

from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Scope:
    kind: str
    zone_ids: frozenset[int] | None  # None means every zone
    department_id: int | None = None

    @property
    def all_zones(self) -> bool:
        return self.zone_ids is None

    @property
    def can_write_zone_data(self) -> bool:
        return self.kind in {"province", "city", "zone"}

    def sees_zone(self, zone_id: int) -> bool:
        return self.zone_ids is None or zone_id in self.zone_ids

    def can_write_zone(self, zone_id: int) -> bool:
        return self.can_write_zone_data and self.sees_zone(zone_id)

    def filter(self, queryset: QuerySet, zone_field: str = "zone") -> QuerySet:
        """Restrict a queryset of zone-owned rows (`zone_field` is the path to the zone FK)."""
        if self.zone_ids is None:
            return queryset
        lookup = "id__in" if zone_field in {"", "self"} else f"{zone_field}__in"
        return queryset.filter(**{lookup: self.zone_ids})


NOTHING = Scope("none", frozenset())
PROVINCE = Scope("province", None)


def scope_of(user) -> Scope:
    from jingkai.accounts.models import OrgUnit
    from jingkai.zones.models import Zone

    if not user or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return PROVINCE
    unit = user.org_unit
    if unit is None:
        return NOTHING
    if unit.kind == OrgUnit.Kind.PROVINCE:
        return PROVINCE
    if unit.kind == OrgUnit.Kind.DEPARTMENT:
        return Scope("department", None, department_id=unit.id)
    if unit.kind == OrgUnit.Kind.CITY:
        ids = Zone.objects.filter(committee__parent=unit).values_list("id", flat=True)
        return Scope("city", frozenset(ids))
    if unit.kind == OrgUnit.Kind.ZONE and unit.zone_id:
        return Scope("zone", frozenset([unit.zone_id]))
    return NOTHING
