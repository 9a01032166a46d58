from jingkai import registry
from jingkai.programmes import capabilities as caps
from jingkai.registry import Domain, MenuEntry


class ProgrammesConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.programmes"
    verbose_name = "企业培育与评价"
    domain = Domain(
        label="企业培育与评价", url_prefix="programmes/", urls="jingkai.programmes.urls",
        menu=[MenuEntry("programmes:index", "企业培育", 40, caps.VIEW_PROGRAMMES, group="园区与企业")],
        capabilities=[caps.VIEW_PROGRAMMES, caps.RUN_PROGRAMME, caps.EXPORT_LIST],
        demo="jingkai.programmes.demo:build", demo_order=40,
        provides={"jobs.kinds": "jingkai.programmes.jobs:KINDS"},
    )
