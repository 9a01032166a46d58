from jingkai import registry
from jingkai.investment import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class InvestmentConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.investment"
    verbose_name = "招商项目"
    domain = Domain(
        label="招商项目", url_prefix="investment/", urls="jingkai.investment.urls",
        api_routers=[("/investment-projects", "jingkai.investment.api:router")],
        menu=[MenuEntry("investment:board", "招商项目", 45, caps.VIEW_PROJECTS)],
        capabilities=[caps.VIEW_PROJECTS, caps.MANAGE_PROJECTS, caps.REVIEW_FAIR_COMPETITION],
        import_kinds="jingkai.investment.imports:KINDS",
        demo="jingkai.investment.demo:build", demo_order=60,
        # the zone page shows the pipeline's signed projects and foreign investment (zones imports nothing of it)
        provides={"zones.page_sections": "jingkai.investment.selectors:zone_section",
                  # 实际使用外资 (and 合作共建园区数) offered to the zone's indicator entry from the project records
                  "zones.indicator_offers": "jingkai.investment.selectors:indicator_offers",
                  # the 补链清单's 责任单位: the zone's 招商小分队/专班 covering a link
                  "chains.link_teams": "jingkai.investment.selectors:link_teams"},
    )
