"""The authorization model: who may do what (capabilities) and on which data (scope).

- A capability (`jingkai.registry.Capability`, declared by the domain that owns it) is held by org-unit
  roles; superusers hold the province's. Some also need a Django permission on the user.
- Services check capabilities with `require`; views only translate the refusal (PermissionDenied) into
  403, or 404 where the object is outside the user's scope (its existence is not disclosed).
- The scope (`accounts.scope`) is computed once per request (cached on the user object).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from jingkai.registry import Capability

if TYPE_CHECKING:
    from jingkai.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `capability_required` (or `login_required`) receives: its user is signed in,
    so `request.user.scope` type-checks. Only an annotation: Django still passes its own HttpRequest."""

    user: User


View = TypeVar("View", bound=Callable[..., HttpResponseBase])
PROVINCE, DEPARTMENT, CITY, ZONE, BANK = "province", "department", "city", "zone", "bank"
ROLES = {PROVINCE: "省商务厅", DEPARTMENT: "省直部门", CITY: "市州", ZONE: "园区管委会", BANK: "金融机构"}


def role_of(user: Any) -> str:
    """The user's role: the kind of its scope (province, department, city, zone, bank, none)."""
    if not user or not getattr(user, "is_authenticated", False):
        return "none"
    return str(user.scope.kind)


def has(user: Any, cap: Capability) -> bool:
    if not user or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # A superuser's scope is the province's (accounts.scope), and so are its roles: it does not, say, also
    # act as a zone committee. Django permissions it holds anyway.
    if role_of(user) not in cap.roles:
        return False
    return cap.permission is None or bool(user.has_perm(cap.permission))


def require(user: Any, cap: Capability, message: str | None = None) -> None:
    """Raise PermissionDenied (with a Chinese message) unless the user holds `cap`."""
    if not has(user, cap):
        raise PermissionDenied(message or f"您无权{cap.label}")


def held(user: Any) -> set[str]:
    """The codes of every capability the user holds (for templates: `{% if "monitoring.review" in caps %}`)."""
    from jingkai.registry import capabilities

    return {code for code, cap in capabilities().items() if has(user, cap)}


def capability_required(cap: Capability) -> Callable[[View], View]:
    """A view decorator: sign-in required (redirect to the login page), then `cap` (403 with a Chinese page)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            require(request.user, cap)
            return view(request, *args, **kwargs)

        return cast(View, login_required(wrapper))

    return decorate
