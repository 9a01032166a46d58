"""Audit entries as people read them: the action, the object type and each changed field in Chinese, values
with their choice labels (已提交, not submitted). Used by a record's 操作记录 (the `{% record_history %}`
tag) and by 系统管理's 操作日志. Labels come from the models' own verbose names through Django's app
registry, so this module imports no domain app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from jingkai.audit.models import AuditEntry
from jingkai.audit.services import BULK, changes_for

ACTIONS = {
    "create": "新增", "update": "修改", "delete": "删除", "import": "导入", "login": "登录", "logout": "退出",
    "submit": "提交", "approve": "审核通过", "return": "退回", "confirm": "确认", "withdraw": "撤回",
    "review": "审核", "publish": "发布", "request_correction": "申请更正", "evaluate": "计算综合评价",
    "run": "运行测算", "lockout": "登录锁定", "unlock": "解除锁定", "demo": "重建演示数据", "follow_up": "跟进",
    "agreement": "签约", "stale": "标记停滞", "transition": "状态变更", "decide": "确认归属",
    "deactivate": "停用", "activate": "启用", "reset_password": "重置密码", "assign": "分配机构和角色",
    "push": "推送清单", "feedback": "反馈对接情况",
}
OTHER_ACTION = "其他操作"
GENERIC_FIELDS = {"state": "状态", "comment": "意见", "note": "说明", "reason": "原因", "user": "用户",
                  "password": "密码", "ip_address": "IP 地址", "path": "访问路径", "seed": "种子", "name": "名称",
                  # what services record beside a model's fields (an import's counts, a run's figures, the demo)
                  "created": "新增条数", "updated": "更新条数", "unchanged": "未变条数", "n": "评价企业数",
                  "eligible": "符合条件企业数", "date": "评价日期", "year": "年度", "zone": "园区", "zones": "园区数",
                  "reused": "沿用已有结果", "days": "停滞天数", "task": "督办任务编号", "item": "措施条目",
                  "raised_by_rule": "按规则自动发起", "document_number": "文号", "value": "数值",
                  "before": "更正前数值", "visits": "联合检查次数", "separate": "单独检查次数",
                  "factor_set": "排放因子集", "formal": "正式核算", "co2_t": "二氧化碳排放量（吨）",
                  "period": "期间", "pool_hash": "抽取池指纹", "indicator_values": "指标值条数",
                  "enterprises": "企业数", "enterprise_tags": "企业荣誉资质条数", "enterprise_years": "企业年度数据条数",
                  "users": "账号数", "jingkai.carbon.demo": "绿色低碳演示记录数",
                  "jingkai.inspections.demo": "涉企检查演示记录数"}


def action_label(action: str) -> str:
    return ACTIONS.get(action, OTHER_ACTION)


def model_of(name: str) -> type[models.Model] | None:
    """The model an entry names ("measures.Task", or a bare class name as the admin records it)."""
    if "." in name:
        try:
            return apps.get_model(name)
        except (LookupError, ValueError):
            return None
    return next((m for m in apps.get_models() if m.__name__ == name), None)


def model_label(name: str) -> str:
    model = model_of(name)
    return str(model._meta.verbose_name) if model else "其他"


def _field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def field_label(model: type[models.Model] | None, key: str) -> str:
    field = _field(model, key)
    return str(field.verbose_name) if field is not None else GENERIC_FIELDS.get(key, key)


def value_text(model: type[models.Model] | None, key: str, value: Any) -> str:
    if value is None or value in ("", "None"):  # "None": a value some writes recorded as text
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    field = _field(model, key)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return "；".join(f"{field_label(model, k)}：{value_text(model, k, v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str
    known: bool = True  # False: a key no model field or generic label names (shown as a code, labelled)


@dataclass(frozen=True)
class Line:
    """One entry of a history or of the operation log."""

    at: datetime
    who: str
    action: str
    object_type: str
    object_key: str
    changes: tuple[FieldChange, ...]
    note: str


def who(user: Any) -> str:
    if user is None:
        return "系统"
    unit = f"（{user.org_unit.name}）" if getattr(user, "org_unit_id", None) and user.org_unit else ""
    return f"{user.get_full_name() or user.username}{unit}"


def changes(model: type[models.Model] | None, before: Any, after: Any) -> tuple[FieldChange, ...]:
    """Each field whose value the entry records, before and after; a value that is no mapping is one line."""
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before is None and after is None:
            return ()
        return (FieldChange("内容", value_text(model, "", before), value_text(model, "", after)),)
    old, new = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    keys = list(dict.fromkeys([*old, *new]))
    return tuple(FieldChange(field_label(model, k), value_text(model, k, old.get(k)), value_text(model, k, new.get(k)),
                             _field(model, k) is not None or k in GENERIC_FIELDS)
                 for k in keys if k != "password" and old.get(k) != new.get(k))


def history(model: str | type[models.Model], object_key: Any, parts: str = "") -> list[Line]:
    """A record's 操作记录, newest first. `parts`: the label of a model whose entries belong to this record,
    keyed "<object_key>/…" (a task's progress reports: "measures.ProgressReport", keys "<task id>/<period>")."""
    found = model_of(model) if isinstance(model, str) else model
    label = model_label(model) if isinstance(model, str) else str(model._meta.verbose_name)
    lines = [(c.at, Line(c.at, who(c.user), action_label(c.action), label, str(object_key),
                         changes(found, c.before, c.after), c.note)) for c in changes_for(model, object_key)]
    if parts:
        part_model = model_of(parts)
        entries = (AuditEntry.objects.filter(model=parts, object_key__startswith=f"{object_key}/")
                   .select_related("user__org_unit"))
        lines += [(e.at, Line(e.at, who(e.user), action_label(e.action), model_label(parts),
                              e.object_key.split("/", 1)[1], changes(part_model, e.before, e.after), e.note))
                  for e in entries]
    return [line for _, line in sorted(lines, key=lambda pair: pair[0], reverse=True)]


def line(entry: AuditEntry, before: Any = None, after: Any = None) -> Line:
    """An entry of the operation log, with its values read apart (`before`, `after`); a bulk entry (an
    import's rows) says so instead of listing them."""
    model = model_of(entry.model)
    if entry.object_key == BULK:
        return Line(entry.at, who(entry.user), action_label(entry.action), model_label(entry.model),
                    "批量记录", (), entry.note)
    return Line(entry.at, who(entry.user), action_label(entry.action), model_label(entry.model), entry.object_key,
                changes(model, before, after), entry.note)
