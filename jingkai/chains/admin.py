from django.contrib import admin

from jingkai.audit.admin import AuditedAdmin
from jingkai.chains.models import ChainLeader, LeaderPurchase, LinkAssignment, TargetCompany


@admin.register(ChainLeader)
class ChainLeaderAdmin(AuditedAdmin):
    scope_zone_field = "enterprise__zone"
    list_display = ("enterprise", "chain", "since", "review_year", "demo")
    list_filter = ("chain", "review_year")
    search_fields = ("enterprise__name", "enterprise__uscc")
    raw_id_fields = ("enterprise",)


@admin.register(TargetCompany)
class TargetCompanyAdmin(AuditedAdmin):
    list_display = ("name", "hq_region", "industry_code", "demo", "updated_at")
    list_filter = ("hq_region", "demo")
    search_fields = ("name", "uscc", "main_products")


@admin.register(LinkAssignment)
class LinkAssignmentAdmin(AuditedAdmin):
    scope_zone_field = "enterprise__zone"
    list_display = ("enterprise", "chain", "link", "score", "source", "decision", "decided_at")
    list_filter = ("chain", "source", "decision")
    search_fields = ("enterprise__name", "enterprise__uscc", "link")
    raw_id_fields = ("enterprise",)
    readonly_fields = ("assigned_at",)


@admin.register(LeaderPurchase)
class LeaderPurchaseAdmin(AuditedAdmin):
    scope_zone_field = "leader__enterprise__zone"
    list_display = ("leader", "year", "supplier", "amount", "local", "demo")
    list_filter = ("year", "local")
    search_fields = ("supplier", "supplier_uscc", "leader__enterprise__name")
    raw_id_fields = ("leader",)
