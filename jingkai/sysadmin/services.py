"""Writes of 系统管理: accounts created, given a unit and per-person rights, stopped and started, their
passwords reset. Each checks the actor's capability here (not only in the view), runs in one transaction and
is audited (model "accounts.User", key the user name; never a password)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jingkai.accounts import authz
from jingkai.accounts.models import OrgUnit, User
from jingkai.audit.services import record
from jingkai.registry import Capability, capabilities
from jingkai.sysadmin.capabilities import MANAGE_USERS

AUDIT_MODEL = "accounts.User"


def personal_rights() -> list[Capability]:
    """The rights given per person on top of the unit's role (a unit's reviewer): the capabilities that
    need a Django permission, from the registry."""
    return sorted((c for c in capabilities().values() if c.permission), key=lambda c: c.code)


def _permission(cap: Capability) -> Permission:
    app_label, codename = str(cap.permission).split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def rights_of(user: User) -> list[str]:
    """The codes of the per-person rights the user holds."""
    return [c.code for c in personal_rights() if user.has_perm(str(c.permission))]


def _values(user: User) -> dict[str, Any]:
    user = User.objects.get(pk=user.pk)  # fresh: has_perm caches
    return {"first_name": user.first_name, "org_unit": user.org_unit.name if user.org_unit else "",
            "is_active": user.is_active, "rights": "、".join(c.label for c in personal_rights()
                                                             if c.code in rights_of(user))}


def _manageable(actor: Any, user: User) -> None:
    authz.require(actor, MANAGE_USERS)
    if user.is_superuser:
        raise PermissionDenied("系统管理员账号只能在后台管理中维护")


def _set_rights(user: User, codes: Iterable[str]) -> None:
    wanted = set(codes)
    for cap in personal_rights():
        permission = _permission(cap)
        if cap.code in wanted:
            user.user_permissions.add(permission)
        else:
            user.user_permissions.remove(permission)


@transaction.atomic
def create_user(actor: Any, *, username: str, first_name: str, org_unit: OrgUnit, password: str,
                rights: Iterable[str] = ()) -> User:
    authz.require(actor, MANAGE_USERS)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"用户名“{username}”已被使用", code="duplicate")
    validate_password(password)
    user = User.objects.create_user(username=username, first_name=first_name, org_unit=org_unit, password=password)
    _set_rights(user, rights)
    record(actor, "create", AUDIT_MODEL, user.username, after=_values(user), note="系统管理新建账号")
    return user


@transaction.atomic
def assign(actor: Any, user: User, *, first_name: str, org_unit: OrgUnit, rights: Iterable[str]) -> None:
    """The user's name, unit (its role follows the unit's kind) and per-person rights."""
    _manageable(actor, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = _values(locked)
    locked.first_name, locked.org_unit = first_name, org_unit
    locked.save(update_fields=["first_name", "org_unit"])
    _set_rights(locked, rights)
    after = _values(locked)
    if after != before:
        record(actor, "assign", AUDIT_MODEL, locked.username, before=before, after=after)


@transaction.atomic
def set_active(actor: Any, user: User, active: bool) -> None:
    _manageable(actor, user)
    if user.pk == getattr(actor, "pk", None) and not active:
        raise ValidationError("不能停用自己的账号", code="self")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active == active:
        return
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    record(actor, "activate" if active else "deactivate", AUDIT_MODEL, locked.username,
           before={"is_active": not active}, after={"is_active": active})


@transaction.atomic
def reset_password(actor: Any, user: User, password: str) -> None:
    _manageable(actor, user)
    validate_password(password, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.set_password(password)
    locked.save(update_fields=["password"])
    record(actor, "reset_password", AUDIT_MODEL, locked.username, note="管理员重置了密码（密码不记入日志）")
