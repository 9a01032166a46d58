from jingkai import registry
from jingkai.enterprises import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class EnterprisesConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.enterprises"
    verbose_name = "企业"
    domain = Domain(
        label="企业", url_prefix="enterprises/", urls="jingkai.enterprises.urls",
        api_routers=[("/enterprises", "jingkai.enterprises.api:router"),
                     ("/enterprise-years", "jingkai.enterprises.api:years_router")],
        menu=[MenuEntry("enterprises:list", "企业", 30, caps.VIEW_ENTERPRISES, group="园区与企业")],
        capabilities=[caps.VIEW_ENTERPRISES],
        provides={"web.dictionary": "jingkai.enterprises.dictionary:sections",  # the 数据字典 page
                  "zones.enterprise_totals": "jingkai.enterprises.selectors:enterprise_totals",
                  "zones.page_sections": "jingkai.enterprises.selectors:zone_section"},
        import_kinds="jingkai.enterprises.imports:KINDS",
    )
