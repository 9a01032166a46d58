from django.contrib import admin

from jingkai.audit.admin import AuditedAdmin
from jingkai.enterprises.models import Enterprise, EnterpriseTag, EnterpriseYear


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


@admin.register(EnterpriseYear)
class EnterpriseYearAdmin(AuditedAdmin):
    list_display = ["enterprise", "year", "revenue", "tax_paid", "value_added", "rd_expense", "employees"]
    list_filter = ["year", "enterprise__zone"]
    search_fields = ["enterprise__uscc", "enterprise__name"]
    list_select_related = ["enterprise"]
    autocomplete_fields = ["enterprise"]
    scope_zone_field = "enterprise__zone"

    def audit_key_of(self, obj) -> str:
        return f"{obj.enterprise.uscc} {obj.year}"
