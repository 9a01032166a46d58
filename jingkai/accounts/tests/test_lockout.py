"""Login throttling: 100 wrong passwords in 22 s all got 200 and the right one then worked. Now a user name or an
address is locked after AXES_FAILURE_LIMIT failures, on /login/ and /admin/login/, for the cool-down; the
lock is shown in Chinese, logged, audited, and an administrator can lift it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from jingkai.audit.models import AuditEntry
from jingkai.testing import make_user

PASSWORD = "right-pass-123"


@pytest.fixture
def users(db):
    alice = make_user("alice", "province")
    bob = make_user("bob", "province")
    admin = make_user("root-admin", "province")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    for user in (alice, bob, admin):
        user.set_password(PASSWORD)
        user.save()
    return {"alice": alice, "bob": bob, "admin": admin}


def login(path: str, username: str, password: str, ip: str = "10.0.0.1", **extra):
    return Client(REMOTE_ADDR=ip, **extra).post(path, {"username": username, "password": password})


def fail(path: str, username: str, times: int, ip: str = "10.0.0.1"):
    for _ in range(times):
        answer = login(path, username, "wrong", ip)
        assert answer.status_code in (200, 429)
    return answer


@pytest.mark.parametrize("path", ["/login/", "/admin/login/"])
def test_a_user_name_is_locked_after_five_failures_from_any_address(users, path, caplog):
    for n in range(3):
        fail(path, "alice", 1, ip=f"10.0.1.{n}")
    assert login(path, "alice", "wrong", "10.0.1.8").status_code == 200  # the fourth failure: the form again
    assert login(path, "alice", "wrong", "10.0.1.9").status_code == 429  # the fifth locks
    answer = login(path, "alice", PASSWORD, "10.0.2.1")  # the right password, from a new address
    assert answer.status_code == 429
    text = answer.content.decode()
    assert "登录失败次数过多（5 次）" in text and "15 分钟后再试" in text and "联系系统管理员" in text
    other = "root-admin" if path.startswith("/admin/") else "bob"  # the admin's login takes staff only
    assert login(path, other, PASSWORD, "10.0.2.1").status_code == 302  # another user is not affected
    assert AuditEntry.objects.filter(action="lockout", object_key="alice").exists()
    assert "登录锁定：用户名 alice" in caplog.text


def test_an_address_is_locked_for_every_user_name(users):
    for name in ("x1", "x2", "x3", "x4", "x5"):
        fail("/login/", name, 1, ip="10.9.9.9")
    assert login("/login/", "bob", PASSWORD, "10.9.9.9").status_code == 429
    assert login("/login/", "bob", PASSWORD, "10.9.9.8").status_code == 302


def test_the_lock_ends_after_the_cool_down(users, settings):
    fail("/login/", "alice", 5)
    assert login("/login/", "alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login("/login/", "alice", PASSWORD).status_code == 302


def test_the_cool_down_and_limit_are_settings(users, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=60)
    fail("/login/", "alice", 2)
    answer = login("/login/", "alice", PASSWORD)
    assert answer.status_code == 429 and "60 分钟后再试" in answer.content.decode()


def test_an_administrator_unlocks_a_user(users):
    fail("/login/", "alice", 5)
    assert login("/login/", "alice", PASSWORD).status_code == 429
    admin = Client(REMOTE_ADDR="10.7.7.7")
    admin.force_login(users["admin"])
    listing = admin.get("/admin/accounts/loginlock/").content.decode()
    assert "登录失败与锁定" in listing and "已锁定" in listing
    answer = admin.post("/admin/accounts/user/", {"action": "unlock_logins", "_selected_action": [users["alice"].pk]},
                        follow=True)
    assert "已解除锁定" in answer.content.decode()
    assert login("/login/", "alice", PASSWORD).status_code == 302
    unlock = AuditEntry.objects.get(action="unlock", object_key="alice")
    assert unlock.user == users["admin"] and unlock.before["failures"] >= 5


def test_the_lock_page_unlocks_from_the_back_office_list(users):
    fail("/login/", "alice", 5)
    admin = Client(REMOTE_ADDR="10.7.7.7")
    admin.force_login(users["admin"])
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    admin.post("/admin/accounts/loginlock/", {"action": "unlock", "_selected_action": ids})
    assert not AccessAttempt.objects.exists()
    assert login("/login/", "alice", PASSWORD).status_code == 302


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(users, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    for n in range(5):  # one attacker forging a different first address each time
        Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 10.5.5.5").post(
            "/login/", {"username": f"u{n}", "password": "wrong"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.5.5.5"}
    locked = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="10.5.5.5")
    assert locked.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="10.6.6.6")
    assert other.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 302
