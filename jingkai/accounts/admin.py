from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from jingkai.accounts import lockout
from jingkai.accounts.models import DATA_TABLES, ApiToken, LoginLock, OrgUnit, User
from jingkai.audit.admin import AuditedAdmin


class OrgUnitForm(forms.ModelForm):
    # ticked tables only; none ticked: every table (the default)
    year_tables = forms.MultipleChoiceField(
        label="可读取的企业年度数据", choices=list(DATA_TABLES.items()), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="仅对省直部门有效；都不勾选即可读取全部企业年度数据表")

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "year_tables"]

    def clean_year_tables(self) -> list[str] | None:
        return [k for k in DATA_TABLES if k in self.cleaned_data["year_tables"]] or None


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    form = OrgUnitForm
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
    actions = ["unlock_logins"]

    @admin.action(description="解除登录锁定")
    def unlock_logins(self, request, queryset):
        removed = sum(lockout.unlock(request.user, username=user.username) for user in queryset)
        messages.success(request, f"已解除锁定，清除登录失败记录 {removed} 条。")


@admin.register(LoginLock)
class LoginLockAdmin(AuditedAdmin):
    """Failed logins by user name and address; a locked one is unlocked by removing its record."""

    list_display = ["username_shown", "ip_shown", "failures", "last_attempt", "locked"]
    search_fields = ["username", "ip_address"]
    actions = ["unlock"]
    ordering = ["-attempt_time"]

    @admin.display(description="用户名", ordering="username")
    def username_shown(self, obj) -> str:
        return obj.username or "（未填写）"

    @admin.display(description="来源地址", ordering="ip_address")
    def ip_shown(self, obj) -> str:
        return obj.ip_address or "（未知）"

    @admin.display(description="连续失败次数", ordering="failures_since_start")
    def failures(self, obj) -> int:
        return obj.failures_since_start

    @admin.display(description="最近一次", ordering="attempt_time")
    def last_attempt(self, obj):
        return obj.attempt_time

    @admin.display(description="状态")
    def locked(self, obj) -> str:
        return "已锁定" if obj.failures_since_start >= settings.AXES_FAILURE_LIMIT else "未锁定"

    @admin.action(description="解除锁定")
    def unlock(self, request, queryset):
        removed = lockout.unlock(request.user, attempts=queryset)
        messages.success(request, f"已解除锁定 {removed} 条。")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # 解除锁定 is the delete, audited as an unlock
        return actions

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
