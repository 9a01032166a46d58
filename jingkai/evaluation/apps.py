from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "jingkai.evaluation"
    verbose_name = "综合发展水平评价"
