from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from jingkai.accounts.models import ApiToken, OrgUnit, User
from jingkai.audit.admin import AuditedAdmin


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "zone"]  # zone: the reverse of Zone.committee
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "zone"]
    autocomplete_fields = ["parent"]
    audit_key = "code"


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "org_unit", "is_staff", "is_active", "last_login"]
    list_filter = ["org_unit__kind", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "org_unit__name", "org_unit__code"]
    list_select_related = ["org_unit"]
    autocomplete_fields = ["org_unit"]
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ())[:1],
        ("所属机构与数据范围", {"fields": ["org_unit"]}),
        *(DjangoUserAdmin.fieldsets or ())[1:],
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "org_unit", "password1", "password2"]}),
    ]
    audit_key = "username"


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens are created with `jingkai token create` (the raw token is shown once); here they are revoked."""

    list_display = ["prefix", "user", "created_at", "last_used_at"]
    search_fields = ["prefix", "user__username"]
    list_select_related = ["user"]
    fields = readonly_fields = ("prefix", "user", "created_at", "last_used_at")
    audit_key = "prefix"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
