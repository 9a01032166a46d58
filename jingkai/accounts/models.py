import hashlib
import secrets

from axes.models import AccessAttempt
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.functional import cached_property

from jingkai.accounts.scope import Scope, scope_of

# The enterprise fact tables by key (jingkai.enterprises.models.YEAR_TABLES, YearFacts.key) and their names,
# for choosing what a department may read. Accounts imports no domain app: a test keeps the keys equal.
DATA_TABLES = {
    "finance": "财务数据", "land": "用地数据", "energy": "能耗与排放数据",
    "innovation": "知识产权与创新数据", "talent": "人才数据", "niche": "细分市场数据",
}


class OrgUnit(models.Model):
    """The province, its departments, the cities, the zone management committees and the financial institutions
    (banks: they see only the project lists pushed to them, jingkai.finance)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", "省商务厅"
        DEPARTMENT = "department", "省直部门"
        CITY = "city", "市州"
        ZONE = "zone", "园区管委会"
        BANK = "bank", "金融机构"

    code = models.CharField("机构代码", max_length=32, unique=True)
    name = models.CharField("机构名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)
    # Which enterprise fact tables a department reads (keys of DATA_TABLES); None: all of them, the default,
    # as the departments that run programmes (专精特新, 亩均, 创新积分) need. Other kinds read their zones' all.
    year_tables = models.JSONField(
        "可读取的企业年度数据", null=True, blank=True, default=None,
        help_text="仅对省直部门有效；不设置即可读取全部企业年度数据表")

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self):
        """The zone this unit is the committee of, None for every other unit: the reverse of Zone.committee
        (zones depend on accounts, not the other way round). Queries use it as `zone__…` too."""
        try:
            return self.managed_zone
        except ObjectDoesNotExist:
            return None


class User(AbstractUser):
    org_unit = models.ForeignKey(OrgUnit, verbose_name="所属机构", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    @cached_property
    def scope(self) -> "Scope":
        """Computed once per user object, i.e. once per request (the request's user is one object)."""
        return scope_of(self)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token; only its hash is stored, the raw token is shown once when created."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        raw = "jk_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8]), raw


class LoginLock(AccessAttempt):
    """django-axes' failed-login records as the back office shows them (Chinese names; jingkai.accounts.lockout)."""

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "登录失败与锁定"
