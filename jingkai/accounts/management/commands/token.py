"""`jingkai token create|list|revoke`: API tokens for `Authorization: Bearer TOKEN`."""

import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jingkai.accounts.models import ApiToken, User
from jingkai.audit.services import record


def operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "未知"


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "从未使用"


class Command(BaseCommand):
    help = "管理 API 令牌：create 用户名（创建并显示一次）、list 用户名、revoke 前缀"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="create|list|revoke")
        actions.add_parser("create", help="为用户创建令牌，令牌是输出的最后一个词").add_argument("username")
        actions.add_parser("list", help="列出用户的令牌（只显示前缀）").add_argument("username")
        actions.add_parser("revoke", help="按前缀吊销令牌").add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, f"{action}_token")(options.get("username") or options.get("prefix"))

    def user(self, username: str) -> User:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"用户“{username}”不存在") from None

    @transaction.atomic
    def create_token(self, username: str) -> None:
        user = self.user(username)
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能创建令牌")
        token, raw = ApiToken.issue(user)
        record(None, "create", "ApiToken", token.prefix, after={"user": username, "prefix": token.prefix},
               note=f"命令行创建 API 令牌（系统用户 {operator()}）")
        # A space before the token, so that it is the last whitespace-separated word (`awk '{print $NF}'`).
        self.stdout.write(f"已为 {username} 创建令牌（只显示一次）： {raw}")

    def list_token(self, username: str) -> None:
        tokens = self.user(username).api_tokens.order_by("created_at")
        if not tokens:
            self.stdout.write(f"{username} 没有 API 令牌")
        for token in tokens:
            used = local(token.last_used_at)
            self.stdout.write(f"{token.prefix}…  创建于 {local(token.created_at)}  最近使用 {used}")

    @transaction.atomic
    def revoke_token(self, prefix: str) -> None:
        tokens = list(ApiToken.objects.select_related("user").filter(prefix=prefix.rstrip("…")))
        if not tokens:
            raise CommandError(f"没有前缀为“{prefix}”的令牌")
        if len(tokens) > 1:
            users = "、".join(t.user.username for t in tokens)
            raise CommandError(f"前缀“{prefix}”对应多个令牌（{users}），请在后台管理中删除")
        token = tokens[0]
        token.delete()
        before = {"user": token.user.username, "prefix": token.prefix}
        note = f"命令行吊销 API 令牌（系统用户 {operator()}）"
        record(None, "delete", "ApiToken", token.prefix, before=before, note=note)
        self.stdout.write(f"已吊销 {token.user.username} 的令牌 {token.prefix}…")
