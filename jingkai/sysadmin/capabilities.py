"""Rights in 系统管理: the province's administrators manage accounts (users, their unit and per-person
rights) and read the operation log; every other unit has no 系统管理 (403)."""

from jingkai.accounts.authz import PROVINCE
from jingkai.registry import capability

MANAGE_USERS = capability("sysadmin.manage_users", "管理用户账号", PROVINCE)
VIEW_SYSTEM = capability("sysadmin.view", "查看系统管理", PROVINCE)  # roles, units, code lists, operation log
ALL = [MANAGE_USERS, VIEW_SYSTEM]
