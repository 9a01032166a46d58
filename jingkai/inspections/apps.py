from jingkai import registry
from jingkai.registry import Domain


class InspectionsConfig(registry.DomainConfig):  # the module, not the class: Django picks the one AppConfig defined here
    name = "jingkai.inspections"
    verbose_name = "涉企检查"
    domain = Domain(label="涉企行政检查计划")
