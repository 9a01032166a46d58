from jingkai import registry
from jingkai.registry import Domain, MenuEntry
from jingkai.zones import capabilities as caps


class ZonesConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.zones"
    verbose_name = "园区与指标"
    domain = Domain(
        # mounted at the root: the zone pages under zones/, indicator entry at indicators/entry/
        label="园区与指标", url_prefix="", urls="jingkai.zones.urls",
        api_routers=[("/zones", "jingkai.zones.api:router"), ("/indicators", "jingkai.zones.api:indicators_router"),
                     ("/indicator-values", "jingkai.zones.api:indicator_values_router")],
        menu=[MenuEntry("zones:list", "园区", 20, caps.BROWSE_ZONES, sections=("zones:list", "zones:detail"),
                        group="园区与企业"),
              MenuEntry("zones:mine", "本园区", 21, caps.OWN_ZONE, sections=("zones:mine", "zones:detail"),
                        group="园区与企业"),
              MenuEntry("zones:entry", "指标填报", 80, caps.ENTER_ZONE_DATA, sections=("zones:entry",), group="数据管理")],
        capabilities=[caps.VIEW_ZONES, caps.BROWSE_ZONES, caps.OWN_ZONE, caps.ENTER_ZONE_DATA],
        provides={"web.dictionary": "jingkai.zones.dictionary:sections"},  # the 数据字典 page
        import_kinds="jingkai.zones.imports:KINDS",
    )
