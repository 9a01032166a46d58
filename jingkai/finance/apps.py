from jingkai import registry
from jingkai.finance import capabilities as caps
from jingkai.registry import Domain, MenuEntry

PUSH_PAGES = ("finance:pushes", "finance:push", "finance:push_new", "finance:push_export")


class FinanceConfig(registry.DomainConfig):
    name = "jingkai.finance"
    verbose_name = "绿色金融对接"
    domain = Domain(
        label="绿色金融对接", url_prefix="finance/", urls="jingkai.finance.urls",
        api_routers=[("/finance", "jingkai.finance.api:router")],
        menu=[MenuEntry("finance:projects", "绿色和重点项目", 47, caps.VIEW_PROJECTS, group="园区与企业",
                        sections=("finance:projects", "finance:project", "finance:create", "finance:edit",
                                  "finance:export")),
              MenuEntry("finance:pushes", "金融机构推送", 48, caps.PUSH_LISTS, group="园区与企业",
                        sections=PUSH_PAGES),
              # a bank's one page: the lists pushed to it (the same URL, read through its own scope)
              MenuEntry("finance:pushes", "推送给本机构的清单", 48, caps.RECEIVE_LISTS, sections=PUSH_PAGES)],
        capabilities=[caps.VIEW_PROJECTS, caps.MANAGE_PROJECTS, caps.PUSH_LISTS, caps.RECEIVE_LISTS],
        import_kinds="jingkai.finance.imports:KINDS",
        demo="jingkai.finance.demo:build", demo_order=65,
        provides={"web.todo": "jingkai.finance.selectors:todo"},
    )
