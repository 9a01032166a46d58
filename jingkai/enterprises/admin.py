from django.contrib import admin

from jingkai.audit.admin import AuditedAdmin
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, EnterpriseTag


class EnterpriseTagInline(admin.TabularInline):
    model = EnterpriseTag
    extra = 0


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = [
        "uscc",
        "name",
        "zone",
        "industry_code",
        "size_class",
        "above_scale",
        "listed",
        "credit_class",
    ]
    list_filter = ["zone", "size_class", "ownership", "above_scale", "listed", "credit_class", "tags__tag"]
    search_fields = ["uscc", "name", "industry_code"]
    list_select_related = ["zone"]
    autocomplete_fields = ["zone"]
    inlines = [EnterpriseTagInline]
    audit_key = "uscc"
    scope_zone_field = "zone"


class YearFactsAdmin(AuditedAdmin):
    """One admin per fact table; rows are audited as `uscc/year`, the key imports record."""

    list_filter = ["year", "enterprise__zone"]
    search_fields = ["enterprise__uscc", "enterprise__name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]
    scope_zone_field = "enterprise__zone"

    def audit_key_of(self, obj) -> str:
        return f"{obj.enterprise.uscc}/{obj.year}"


for _table in YEAR_TABLES:
    admin.site.register(_table, type(f"{_table.__name__}Admin", (YearFactsAdmin,), {
        "list_display": ["enterprise", "year", *[f.name for f in _table.fact_fields()][:6]]}))
