from jingkai import registry
from jingkai.registry import Domain, MenuEntry
from jingkai.sysadmin import capabilities as caps

GROUP = "系统管理"
USER_PAGES = ("sysadmin:users", "sysadmin:user_create", "sysadmin:user", "sysadmin:user_active",
              "sysadmin:user_password")


class SysadminConfig(registry.DomainConfig):
    name = "jingkai.sysadmin"
    verbose_name = "系统管理"
    domain = Domain(
        label="系统管理", url_prefix="system/", urls="jingkai.sysadmin.urls",
        menu=[MenuEntry("sysadmin:users", "用户管理", 100, caps.MANAGE_USERS, group=GROUP,
                        sections=USER_PAGES),
              MenuEntry("sysadmin:roles", "角色与权限", 101, caps.VIEW_SYSTEM, group=GROUP, sections=("sysadmin:roles",)),
              MenuEntry("sysadmin:units", "组织机构", 102, caps.VIEW_SYSTEM, group=GROUP, sections=("sysadmin:units",)),
              MenuEntry("sysadmin:codes", "代码表", 103, caps.VIEW_SYSTEM, group=GROUP, sections=("sysadmin:codes",)),
              MenuEntry("sysadmin:log", "操作日志", 104, caps.VIEW_SYSTEM, group=GROUP, sections=("sysadmin:log",))],
        capabilities=caps.ALL,
    )
