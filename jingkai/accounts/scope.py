"""Who sees what. Every selector, view, API endpoint, import and export filters through here.

- province (省商务厅) and superusers: every zone and every unit;
- a department (省直部门): every zone, read-only for zone data (departments run province-wide
  programmes; they write their own tasks and programme data, not the zones' reports); of the enterprise
  fact tables those its unit is set to read (`OrgUnit.year_tables`, all by default);
- a city: the zones in its city, and the units below it (its zones' committees);
- a zone committee: its own zone only;
- a financial institution (bank): no zone and no zone data; only what was pushed to its unit (`unit_ids`:
  the push lists of jingkai.finance are filtered by the receiving bank);
- anyone else: nothing.

`unit_ids` are the org units whose work the user acts for: its own unit and the units below it in the org
tree (a city and its zone committees). Owned records (tasks, reports) are filtered by it.
The scope is computed once per request: `User.scope` caches it on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Scope:
    kind: str
    zone_ids: frozenset[int] | None  # None means every zone
    department_id: int | None = None
    unit_ids: frozenset[int] | None = frozenset()  # None means every unit
    year_tables: frozenset[str] | None = None  # the enterprise fact tables read (OrgUnit.year_tables); None: all

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

    def reads_table(self, key: str) -> bool:
        """Whether the user reads the enterprise fact table `key` (accounts.models.DATA_TABLES)."""
        return self.year_tables is None or key in self.year_tables

    def acts_for(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or unit_id in self.unit_ids

    def filter(self, queryset: QuerySet[Any], zone_field: str = "zone") -> QuerySet[Any]:
        """Restrict a queryset of zone-owned rows (`zone_field` is the path to the zone FK)."""
        if self.zone_ids is None:
            return queryset
        lookup = "id__in" if zone_field in {"", "self"} else f"{zone_field}__in"
        return queryset.filter(**{lookup: self.zone_ids})

    def filter_units(self, queryset: QuerySet[Any], unit_field: str = "owner") -> QuerySet[Any]:
        """Restrict a queryset of unit-owned rows (`unit_field` is the path to the OrgUnit FK)."""
        if self.unit_ids is None:
            return queryset
        return queryset.filter(**{f"{unit_field}__in": self.unit_ids})


NOTHING = Scope("none", frozenset())
PROVINCE = Scope("province", None, unit_ids=None)


def scope_of(user: Any) -> Scope:
    from jingkai.accounts.models import OrgUnit

    if not user or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return PROVINCE
    if user.org_unit_id is None:
        return NOTHING
    # One query for the unit and, for a committee, its zone (the reverse of Zone.committee: accounts reads it
    # without importing zones); kept on the user, so later `user.org_unit` reads cost nothing.
    unit = OrgUnit.objects.select_related("zone").filter(pk=user.org_unit_id).first()
    if unit is None:
        return NOTHING
    user.org_unit = unit
    if unit.kind == OrgUnit.Kind.PROVINCE:
        return PROVINCE
    if unit.kind == OrgUnit.Kind.DEPARTMENT:
        tables = None if unit.year_tables is None else frozenset(unit.year_tables)
        return Scope("department", None, department_id=unit.id, unit_ids=frozenset([unit.id]), year_tables=tables)
    if unit.kind == OrgUnit.Kind.CITY:
        below = list(OrgUnit.objects.filter(parent=unit).values_list("id", "zone__id"))
        units = {unit.id} | {uid for uid, _ in below}
        return Scope("city", frozenset(z for _, z in below if z), unit_ids=frozenset(units))
    if unit.kind == OrgUnit.Kind.ZONE and unit.zone is not None:
        return Scope("zone", frozenset([unit.zone.pk]), unit_ids=frozenset([unit.id]))
    if unit.kind == OrgUnit.Kind.BANK:
        return Scope("bank", frozenset(), unit_ids=frozenset([unit.id]))
    return NOTHING
