from jingkai import registry
from jingkai.measures import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class MeasuresConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.measures"
    verbose_name = "措施督办"
    domain = Domain(
        label="督办任务与进展", url_prefix="measures/", urls="jingkai.measures.urls",
        menu=[MenuEntry("measures:dashboard", "措施督办", 70, caps.VIEW_MEASURES, group="督办"),
              MenuEntry("measures:tasks", "任务清单", 71, caps.VIEW_MEASURES, group="督办",
                        sections=("measures:tasks", "measures:task")),
              MenuEntry("measures:catalogue", "措施目录", 72, caps.VIEW_MEASURES, group="督办",
                        sections=("measures:catalogue", "measures:item"))],
        capabilities=[caps.VIEW_MEASURES, caps.ASSIGN_TASKS, caps.REPORT_PROGRESS, caps.REVIEW_REPORTS,
                      caps.CONFIRM_REPORTS],
        provides={"web.todo": "jingkai.measures.todo:todo",  # the 待办 panel
                  "measures.raise_supervision": "jingkai.measures.services:raise_supervision"},
        demo="jingkai.measures.demo:build", demo_order=10,
    )
