from jingkai import registry
from jingkai.measures import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class MeasuresConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.measures"
    verbose_name = "措施督办"
    domain = Domain(
        label="督办任务与进展", url_prefix="measures/", urls="jingkai.measures.urls",
        menu=[MenuEntry("measures:dashboard", "措施督办", 70, caps.VIEW_MEASURES)],
        capabilities=[caps.VIEW_MEASURES, caps.ASSIGN_TASKS, caps.REPORT_PROGRESS, caps.REVIEW_REPORTS,
                      caps.CONFIRM_REPORTS],
        demo="jingkai.measures.demo:build", demo_order=10,
        provides={"measures.raise_supervision": "jingkai.measures.services:raise_supervision"},
    )
