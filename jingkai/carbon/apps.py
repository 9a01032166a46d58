from jingkai import registry
from jingkai.carbon import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class CarbonConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.carbon"
    verbose_name = "绿色低碳"
    domain = Domain(
        label="绿色低碳（碳核算与零碳园区）", url_prefix="carbon/", urls="jingkai.carbon.urls",
        menu=[MenuEntry("carbon:index", "绿色低碳", 78, caps.VIEW_CARBON)],
        capabilities=caps.ALL,
        demo="jingkai.carbon.demo:build", demo_order=45,
        provides={"jobs.kinds": "jingkai.carbon.jobs:KINDS"},
    )
