"""Back-office writes are audited like every other write; the audit log itself is read-only."""

import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict

from jingkai.audit.models import AuditEntry
from jingkai.audit.services import record

SECRET_FIELDS = {"password", "key_hash"}


def snapshot(obj: models.Model) -> dict:
    """The editable fields of `obj` as JSON: relations by primary key, dates as ISO text, no secrets."""
    data = {}
    for name, value in model_to_dict(obj).items():
        if name in SECRET_FIELDS:
            continue
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, list | tuple | models.QuerySet):
            value = [v.pk if isinstance(v, models.Model) else v for v in value]
        data[name] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


class AuditedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes (single, bulk and inline) land in the audit log.

    `audit_key` names the field that identifies a row in the log (uscc, code, username …), or override
    `audit_key_of`; `scope_zone_field` restricts the rows to the user's scope (`"self"` for zones themselves).
    """

    audit_key = "pk"
    scope_zone_field: str | None = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.scope_zone_field:
            queryset = request.user.scope.filter(queryset, self.scope_zone_field)
        return queryset

    def audit_key_of(self, obj) -> str:
        """How the audit log names `obj`; override for composite keys."""
        return str(getattr(obj, self.audit_key) or obj.pk)

    def audit(self, request, action: str, obj, before=None, after=None) -> None:
        key = self.audit_key_of(obj)
        record(request.user, action, type(obj).__name__, key, before=before, after=after, note="后台管理")

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        after = snapshot(obj)
        if before != after:
            self.audit(request, "update" if change else "create", obj, before, after)

    @transaction.atomic
    def delete_model(self, request, obj):
        before = snapshot(obj)
        self.audit(request, "delete", obj, before=before)
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.audit(request, "delete", obj, before=snapshot(obj))
        super().delete_queryset(request, queryset)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        """Inline rows (an enterprise's tags …) are audited one by one, keyed by their parent."""
        parent = self.audit_key_of(form.instance)
        pks = [f.instance.pk for f in formset.forms if f.instance.pk]
        befores = {pk: snapshot(obj) for pk, obj in formset.model.objects.in_bulk(pks).items()}
        # a deleted row loses its primary key when deleted: take its snapshot now
        deleted = [befores[f.instance.pk] for f in formset.deleted_forms if f.instance.pk in befores]
        super().save_formset(request, form, formset, change)
        changes: list[tuple[str, dict | None, dict | None]] = [("delete", before, None) for before in deleted]
        changes += [("create", None, snapshot(obj)) for obj in formset.new_objects]
        changes += [("update", befores.get(obj.pk), snapshot(obj)) for obj, _ in formset.changed_objects]
        model = formset.model.__name__
        for action, before, after in changes:
            record(request.user, action, model, parent, before=before, after=after, note="后台管理")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "model", "object_key", "batch", "note"]
    list_filter = ["action", "model"]
    search_fields = ["object_key", "batch", "note", "user__username"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
