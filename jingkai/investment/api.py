"""Investment projects over the API (scoped like the pages)."""

from datetime import date
from decimal import Decimal

from ninja import Query, Router, Schema

from jingkai.investment.selectors import project_list
from jingkai.paging import Paging, paginate

router = Router(tags=["招商项目"])


class ProjectOut(Schema):
    id: int
    name: str
    company: str
    uscc: str
    zone_code: str
    origin: str
    stage: str
    stage_since: date
    next_action_date: date | None
    planned_investment: Decimal | None
    contracted_fdi: Decimal | None
    actual_fdi: Decimal | None
    key_foreign: bool
    chain_links: list[str]

    @staticmethod
    def resolve_zone_code(p) -> str:
        return p.zone.code

    @staticmethod
    def resolve_key_foreign(p) -> bool:
        return p.is_key_foreign


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


@router.get("", response=ProjectPage, summary="招商项目列表",
            description="金额：计划总投资为万元，合同外资与实际使用外资为万美元；key_foreign 为合同外资≥1亿美元。")
def list_projects(request, paging: Query[Paging], stage: str | None = None):
    rows = project_list(request.user.scope)
    if stage:
        rows = rows.filter(stage=stage)
    return paginate(rows.order_by("id"), paging)
