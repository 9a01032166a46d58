from jingkai import registry
from jingkai.jobs import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class JobsConfig(registry.DomainConfig):
    name = "jingkai.jobs"
    verbose_name = "后台任务"
    domain = Domain(
        label="后台任务", url_prefix="jobs/", urls="jingkai.jobs.urls",
        menu=[MenuEntry("jobs:list", "后台任务", 95, caps.USE_JOBS, group="数据管理")],
        capabilities=caps.ALL,
        provides={"web.todo": "jingkai.jobs.todo:todo", "web.health": "jingkai.jobs.health:checks"},
    )
