from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jingkai.accounts.models import ApiToken
from jingkai.audit.models import AuditEntry


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_token_last_and_the_api_accepts_it(zones, lz_user):
    output = run("create", "demo-gs-lz")
    raw = output.split()[-1]
    assert output.startswith("已为 demo-gs-lz 创建令牌") and output.endswith(f" {raw}\n")
    assert raw.startswith("jk_") and len(raw) > 40
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200
    assert me.json()["username"] == "demo-gs-lz" and me.json()["zone_codes"] == ["GS-LZ"]
    # only the hash is stored
    token = ApiToken.objects.get(user=lz_user)
    assert token.prefix == raw[:8] and raw not in token.key_hash
    entry = AuditEntry.objects.get(model="ApiToken", action="create")
    assert entry.object_key == raw[:8] and entry.after == {"user": "demo-gs-lz", "prefix": raw[:8]}
    assert raw not in str(entry.after) + entry.note


def test_each_create_gives_a_new_token(zones, lz_user):
    first, second = run("create", "demo-gs-lz").split()[-1], run("create", "demo-gs-lz").split()[-1]
    assert first != second and lz_user.api_tokens.count() == 2


def test_list_and_revoke(zones, lz_user):
    assert run("list", "demo-gs-lz").strip() == "demo-gs-lz 没有 API 令牌"
    raw = run("create", "demo-gs-lz").split()[-1]
    listed = run("list", "demo-gs-lz")
    assert listed.startswith(raw[:8] + "…") and "从未使用" in listed and raw not in listed
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/zones").status_code == 200
    assert "最近使用 从未使用" not in run("list", "demo-gs-lz")
    assert run("revoke", raw[:8] + "…").strip() == f"已吊销 demo-gs-lz 的令牌 {raw[:8]}…"
    assert client.get("/api/v1/zones").status_code == 401
    entry = AuditEntry.objects.get(model="ApiToken", action="delete")
    assert entry.before == {"user": "demo-gs-lz", "prefix": raw[:8]}


def test_errors_in_chinese(zones, lz_user, province_user):
    with pytest.raises(CommandError, match="用户“ghost”不存在"):
        run("create", "ghost")
    with pytest.raises(CommandError, match="没有前缀为“jk_zzzzz”的令牌"):
        run("revoke", "jk_zzzzz")
    # two tokens that happen to share a prefix are not revoked blindly
    ApiToken.objects.create(user=lz_user, key_hash="a" * 64, prefix="jk_same1")
    ApiToken.objects.create(user=province_user, key_hash="b" * 64, prefix="jk_same1")
    with pytest.raises(CommandError, match="对应多个令牌"):
        run("revoke", "jk_same1")
    assert ApiToken.objects.count() == 2
    lz_user.is_active = False
    lz_user.save()
    with pytest.raises(CommandError, match="已停用"):
        run("create", "demo-gs-lz")
