from django.contrib import admin

from jingkai.audit.admin import AuditedAdmin
from jingkai.monitoring.models import ReportingCalendar


@admin.register(ReportingCalendar)
class ReportingCalendarAdmin(AuditedAdmin):
    list_display = ["name", "frequency", "due_day"]
    filter_horizontal = ["indicators", "zones"]
