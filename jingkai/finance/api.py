"""The finance lists over the API, read-only. A bank reads the lists pushed to it (as they were sent, with its
answers); an office reads its pushes and the projects of its zones. Nothing else: scoped like the pages."""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Query, Router, Schema

from jingkai.finance import selectors
from jingkai.paging import Paging, paginate

router = Router(tags=["绿色金融对接"])


class PushOut(Schema):
    id: int
    title: str
    owner: str
    bank: str
    pushed_at: datetime
    projects: int
    answered: int

    @staticmethod
    def resolve_owner(p) -> str:
        return p.owner.name

    @staticmethod
    def resolve_bank(p) -> str:
        return p.bank.name


class PushPage(Schema):
    count: int
    items: list[PushOut]


class ItemOut(Schema):
    position: int
    project: dict
    feedback: str
    feedback_label: str
    feedback_note: str
    feedback_at: datetime | None

    @staticmethod
    def resolve_project(i) -> dict:
        return i.snapshot

    @staticmethod
    def resolve_feedback_label(i) -> str:
        return i.get_feedback_display()


class PushDetail(PushOut):
    note: str
    items: list[ItemOut]

    @staticmethod
    def resolve_items(p) -> list:
        return list(selectors.push_items(p))


class ProjectOut(Schema):
    id: int
    name: str
    zone_code: str
    category: str
    borrower: str
    uscc: str
    capex: Decimal
    finance_need: Decimal
    co2_saved: Decimal | None
    channels: list[str]
    status: str

    @staticmethod
    def resolve_zone_code(p) -> str:
        return p.zone.code


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


@router.get("/pushes", response=PushPage, summary="项目清单推送记录",
            description="金融机构账号：推送给本机构的清单；推送单位：本单位（省商务厅为全部）的推送记录。")
def list_pushes(request, paging: Query[Paging]):
    return paginate(selectors.push_list(request.user), paging)


@router.get("/pushes/{push_id}", response=PushDetail, summary="一份推送清单及各项目反馈",
            description="project 为推送时的项目信息快照（金额单位万元，减排量单位吨二氧化碳/年）；feedback 为空表示待反馈。")
def get_push(request, push_id: int):
    push = selectors.push_get(request.user, push_id)
    if push is None:
        raise Http404("没有这份清单，或不在您的数据范围内")
    return push


@router.get("/projects", response=ProjectPage, summary="绿色和重点项目",
            description="本单位数据范围内的项目（金融机构账号为空）。金额单位万元，减排量单位吨二氧化碳/年。")
def list_green_projects(request, paging: Query[Paging]):
    return paginate(selectors.project_list(request.user.scope).order_by("id"), paging)
