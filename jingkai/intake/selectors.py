"""Reading what the intake offers: the import/export kinds and their Chinese titles."""

from jingkai.intake.kinds import all_kinds


def kind_titles() -> dict[str, str]:
    """{kind name: Chinese title} of every import kind, in declaration order (企业名录, 企业年度数据, 园区指标值)."""
    return {name: kind.title for name, kind in all_kinds().items()}
