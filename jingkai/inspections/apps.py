from jingkai import registry
from jingkai.inspections import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class InspectionsConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.inspections"
    verbose_name = "涉企检查"
    domain = Domain(
        label="涉企行政检查计划", url_prefix="inspections/", urls="jingkai.inspections.urls",
        menu=[MenuEntry("inspections:index", "涉企检查", 75, caps.VIEW_INSPECTIONS)],
        capabilities=caps.ALL,
        import_kinds="jingkai.inspections.imports:KINDS",
        demo="jingkai.inspections.demo:build", demo_order=40,
        provides={"enterprises.page_sections": "jingkai.inspections.selectors:enterprise_section",
                  "jobs.kinds": "jingkai.inspections.jobs:KINDS"},
    )
