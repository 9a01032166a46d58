from django.contrib import admin

from jingkai.audit.admin import AuditedAdmin
from jingkai.zones.models import Indicator, IndicatorValue, Zone


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ["code", "name", "level", "region", "province", "city", "approved_year", "committee", "is_demo"]
    list_filter = ["level", "region", "province", "is_demo"]
    search_fields = ["code", "name", "city"]
    list_select_related = ["committee"]
    autocomplete_fields = ["committee"]
    audit_key = "code"
    scope_zone_field = "self"


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    list_display = [
        "key",
        "name",
        "unit",
        "direction",
        "frequency",
        "cumulative",
        "source_department",
        "unverified",
    ]
    list_filter = ["frequency", "cumulative", "unverified", "direction", "source_department"]
    search_fields = ["key", "name", "definition"]
    list_select_related = ["source_department"]
    audit_key = "key"


@admin.register(IndicatorValue)
class IndicatorValueAdmin(AuditedAdmin):
    list_display = ["zone", "period", "indicator", "value", "source", "updated_at"]
    list_filter = ["indicator", "zone__level", "zone"]
    search_fields = ["zone__code", "zone__name", "period", "indicator__key", "indicator__name"]
    list_select_related = ["zone", "indicator"]
    autocomplete_fields = ["zone", "indicator"]
    scope_zone_field = "zone"

    def audit_key_of(self, obj) -> str:
        return f"{obj.zone.code} {obj.period} {obj.indicator.key}"
