"""Shared by the intake commands: resolving --user."""

from django.core.management.base import CommandError


def user_by_name(username: str | None):
    if not username:
        return None
    from jingkai.accounts.models import User

    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"用户 {username} 不存在") from None
