from jingkai import registry
from jingkai.intake import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class IntakeConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.intake"
    verbose_name = "数据导入导出"
    domain = Domain(
        label="数据导入导出", url_prefix="", urls="jingkai.intake.urls",
        menu=[MenuEntry("intake:import", "数据导入", 90, caps.IMPORT_ZONE_DATA,
                        sections=("intake:import", "intake:template", "intake:report"),
                        group="数据管理")],
        capabilities=[caps.USE_INTAKE, caps.IMPORT_ZONE_DATA, caps.PURGE_UPLOADS],
        provides={"jobs.kinds": "jingkai.intake.jobs:KINDS"},
    )
