from jingkai import registry
from jingkai.monitoring import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class MonitoringConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.monitoring"
    verbose_name = "经济运行监测"
    domain = Domain(
        label="报送与审核", url_prefix="monitoring/", urls="jingkai.monitoring.urls",
        menu=[MenuEntry("monitoring:dashboard", "经济运行", 60, caps.VIEW_MONITORING, group="运行与评价"),
              MenuEntry("monitoring:submissions", "报送情况", 61, caps.VIEW_MONITORING, group="运行与评价",
                        sections=("monitoring:submissions", "monitoring:submission", "monitoring:submit")),
              MenuEntry("monitoring:bulletins", "经济运行通报", 62, caps.VIEW_MONITORING, group="运行与评价",
                        sections=("monitoring:bulletins",))],
        capabilities=caps.ALL,
        demo="jingkai.monitoring.demo:build", demo_order=20,
        provides={"web.todo": "jingkai.monitoring.todo:todo",  # the 待办 panel
                  "jobs.kinds": "jingkai.monitoring.jobs:KINDS",  # bulletin drafts
                  "zones.locked_periods": "jingkai.monitoring.locks:locked_values",  # approved months are locked
                  "zones.reviewed_periods": "jingkai.monitoring.selectors:unreviewed_periods",
                  "zones.entry_sections": "jingkai.monitoring.selectors:entry_section",  # 报送 from 指标填报
                  "zones.page_sections": "jingkai.monitoring.drilldown:zone_section",  # the zone's KPI cards
                  "web.home_sections": "jingkai.monitoring.drilldown:home_section"},  # the province's KPI cards
    )
