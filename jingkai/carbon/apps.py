from jingkai import registry
from jingkai.registry import Domain


class CarbonConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.carbon"
    verbose_name = "绿色低碳"
    # Pages, models and the data gate follow (issue 15); the domain has only its `jingkai carbon` command so far.
    domain = Domain(label="绿色低碳（碳核算与零碳园区）")
