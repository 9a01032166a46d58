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


def importing_user(username: str | None):
    """Who a command-line import is recorded as in the audit: --user, or else the operating-system user if an
    active account has that name; without either it is refused (every write has an actor)."""
    if username:
        return user_by_name(username)
    import getpass

    from jingkai.accounts.models import User

    os_user = getpass.getuser()
    found = User.objects.filter(username=os_user, is_active=True).first()
    if found is None:
        raise CommandError(f"请用 --user 指定以哪个平台账户导入（导入记入审计日志）；操作系统用户 {os_user} 没有对应的平台账户")
    return found
