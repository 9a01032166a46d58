"""Login throttling (django-axes): after JINGKAI_LOGIN_FAILURE_LIMIT wrong passwords for one user name, or from
one address, further logins of that user or from that address are refused for JINGKAI_LOGIN_COOLOFF_MINUTES
(a wrong password during the lock starts the cool-down again). Both /login/ and /admin/login/ are covered,
the refusal is a Chinese page (429), each lock is logged (logger `jingkai.security`) and audited, and the
province's administrators unlock in the back office (用户 → 解除登录锁定, or 登录锁定 → 解除锁定)."""

from __future__ import annotations

import logging

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jingkai.audit.services import record

log = logging.getLogger("jingkai.security")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password. A login without a request (a script's or a test client's
    `authenticate(username=…, password=…)`) has no address to throttle and is left to the next backend;
    every login over the web (the site's and the admin's form) comes with its request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cooloff_minutes() -> int:
    return round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def client_ip(request: HttpRequest) -> str | None:
    """The browser's address: behind the reverse proxy (JINGKAI_CLIENT_IP_HEADER, e.g. HTTP_X_FORWARDED_FOR)
    the last address of that header, the one our proxy appended (earlier ones are the client's to forge);
    otherwise the connection's."""
    header = settings.CLIENT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR")


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """What a locked-out login attempt sees, on the site's and on the admin's login page."""
    message = (f"登录失败次数过多（{settings.AXES_FAILURE_LIMIT} 次），该账户或本机地址已被暂时锁定，"
               f"请 {cooloff_minutes()} 分钟后再试；如需立即解锁，请联系系统管理员。")
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


@receiver(user_locked_out)
def _log_lockout(sender, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs) -> None:
    log.warning("登录锁定：用户名 %s，来源地址 %s，路径 %s", username, ip_address, request.path)
    record(None, "lockout", "accounts.User", username or "", after={"ip_address": ip_address, "path": request.path},
           note="登录失败次数过多，已锁定")


def unlock(actor, *, username: str | None = None, attempts=None) -> int:
    """Remove the failed-login records of `username` (or the given AccessAttempt rows); audited. Returns the
    number of records removed."""
    rows = attempts if attempts is not None else AccessAttempt.objects.filter(username=username)
    removed = 0
    for attempt in rows:
        record(actor, "unlock", "accounts.User", attempt.username or "", before={
            "ip_address": attempt.ip_address, "failures": attempt.failures_since_start}, note="解除登录锁定")
        attempt.delete()
        removed += 1
    return removed
