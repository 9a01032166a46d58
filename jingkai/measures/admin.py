from django.contrib import admin

from jingkai.audit.admin import AuditedAdmin
from jingkai.measures.models import Milestone, Task


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ["item_code", "title", "owner", "zone", "start", "deadline", "target_indicator", "target_value"]
    list_filter = ["owner__kind", "zone"]
    search_fields = ["item_code", "title", "owner__name"]
    list_select_related = ["owner", "zone", "target_indicator"]
    inlines = [MilestoneInline]
