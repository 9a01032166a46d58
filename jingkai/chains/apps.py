from jingkai import registry
from jingkai.chains import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class ChainsConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.chains"
    verbose_name = "产业链"
    domain = Domain(
        label="产业链", url_prefix="chains/", urls="jingkai.chains.urls",
        api_routers=[("/chains", "jingkai.chains.api:router")],
        menu=[MenuEntry("chains:index", "产业链", 45, caps.VIEW_CHAINS)],
        capabilities=[caps.VIEW_CHAINS, caps.CONFIRM_LINKS, caps.RUN_ASSIGNMENT, caps.MANAGE_REGISTRY, caps.MANAGE_PURCHASES],
        import_kinds="jingkai.chains.imports:KINDS",
        demo="jingkai.chains.demo:build", demo_order=50,
        provides={"enterprises.page_sections": "jingkai.chains.selectors:enterprise_section",
                  "investment.chain_names": "jingkai.chains.selectors:chain_names"},
    )
