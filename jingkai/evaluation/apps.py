from jingkai import registry
from jingkai.evaluation import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class EvaluationConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.evaluation"
    verbose_name = "综合发展水平评价"
    domain = Domain(
        label="综合发展水平评价", url_prefix="evaluation/", urls="jingkai.evaluation.urls",
        menu=[MenuEntry("evaluation:ranking", "综合评价", 50, caps.VIEW_EVALUATION, group="运行与评价")],
        capabilities=[caps.VIEW_EVALUATION, caps.COMPUTE],
        demo="jingkai.evaluation.demo:build", demo_order=30,
        provides={"jobs.kinds": "jingkai.evaluation.jobs:KINDS"},
    )
