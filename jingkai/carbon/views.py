"""绿色低碳 pages: the zones in scope with their latest account; one zone's data gate, energy balance, CO₂
inventory (each line's factor and notice), 零碳园区 1+5 table, what-if and 绿色工业园区 eligibility; the forms
that confirm the gate, run an account and freeze it (each with a confirmation step); the 盘查报告 outline; the
green-certificate ledger."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jingkai import lists
from jingkai.accounts import authz
from jingkai.accounts.authz import AuthenticatedHttpRequest, capability_required, has
from jingkai.carbon import selectors, services
from jingkai.carbon.capabilities import COMPUTE_CARBON, VIEW_CARBON
from jingkai.carbon.exports import baseline_report_docx
from jingkai.carbon.forms import AccountForm, GateForm, WhatIfForm
from jingkai.carbon.models import CarbonAccount, EnergyRecord, GreenCertificate
from jingkai.confirm import Confirmation, confirmation_page, is_confirmed
from jingkai.downloads import DOCX, download
from jingkai.jobs.models import Job
from jingkai.jobs.pages import start
from jingkai.paging import record_id
from jingkai.zones.selectors import zone_get


@capability_required(VIEW_CARBON)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    seen: set[int] = set()
    accounts = []
    for a in selectors.latest_accounts(request.user.scope)[:2000]:
        if a.zone_id not in seen:
            seen.add(a.zone_id)
            accounts.append(a)
    return render(request, "carbon/index.html", {"accounts": accounts, "can_compute": has(request.user, COMPUTE_CARBON),
                                                 "last_year": timezone.localdate().year - 1})


@capability_required(COMPUTE_CARBON)
@require_POST
def compute_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """核算 every zone in scope for a year: always a job (every enterprise's energy records are read)."""
    year = request.POST.get("year", "")
    if not year.isdigit() or not 2000 <= int(year) <= timezone.localdate().year:
        raise Http404("核算年度无效")
    return start(request, "carbon.accounts", {"year": int(year)}, f"园区碳排放核算（{year}年）",
                 "核算需读取各园区全部企业的能源数据")


def _years(zone) -> list[int]:
    return sorted(set(EnergyRecord.objects.filter(enterprise__zone=zone).values_list("year", flat=True)), reverse=True)


@capability_required(VIEW_CARBON)
def zone(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    z = zone_get(request.user.scope, code)
    c = selectors.zone_carbon(z)
    hours = selectors.pv_hours(z.province)
    asked = any(k in request.GET for k in ("pv_mw", "certificates_mwh"))
    form = WhatIfForm(request.GET if asked else None, initial={"hours": hours.value})
    what_if = None
    if asked and form.is_valid() and c.account is not None:
        d = form.cleaned_data
        what_if = selectors.what_if(z, c.account, pv_mw=d["pv_mw"] or 0.0, hours=d["hours"],
                                    certificates_mwh=d["certificates_mwh"] or 0.0)
    can_compute = authz.has(request.user, COMPUTE_CARBON) and request.user.scope.can_write_zone(z.pk)
    return render(request, "carbon/zone.html", {
        "c": c, "balance": selectors.energy_balance(c.account) if c.account else None,
        "park": selectors.green_park(z), "hours": hours, "what_if_form": form, "what_if": what_if,
        "can_compute": can_compute, "account_form": AccountForm(years=_years(z)),
        "facts": selectors.green_facts(z, c.account.year) if c.account else None,
    })


def _writable_zone(request: AuthenticatedHttpRequest, code: str):
    z = zone_get(request.user.scope, code)
    if not request.user.scope.can_write_zone(z.pk):
        raise Http404
    return z


@capability_required(COMPUTE_CARBON)
def gate(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    z = _writable_zone(request, code)
    current = getattr(z, "carbon_gate", None)
    if request.method != "POST":
        initial = {} if current is None else {
            "boundary": current.boundary_confirmed, "enterprise_list": current.enterprise_list_confirmed,
            "baseline_year": current.baseline_year, "factor_set": current.factor_set_id}
        return render(request, "carbon/gate.html", {"zone": z, "form": GateForm(initial=initial)})
    form = GateForm(request.POST)
    if not form.is_valid():
        return render(request, "carbon/gate.html", {"zone": z, "form": form})
    d = form.cleaned_data
    if not is_confirmed(request):
        yes = {True: "已确认", False: "未确认"}
        fs = dict(form.fields["factor_set"].choices).get(d["factor_set"], "未确认")  # type: ignore[attr-defined]
        return confirmation_page(request, Confirmation(
            title="确认碳核算数据条件", action=request.path, cancel=reverse("carbon:zone", args=[z.code]),
            message=(f"将记录{z.name}的碳核算数据条件（记入操作日志）。四项全部确认后，园区合计为正式核算；"
                     "之后的核算按所选因子集进行。"),
            button="确认", facts=[("园区边界（四至）", yes[d["boundary"]]), ("园区企业名单", yes[d["enterprise_list"]]),
                                ("基准年", f"{d['baseline_year']} 年" if d["baseline_year"] else "未确认"),
                                ("因子集", fs)],
            fields=[(k, "on" if v is True else "" if v in (None, False) else str(v)) for k, v in
                    (("boundary", d["boundary"]), ("enterprise_list", d["enterprise_list"]),
                     ("baseline_year", d["baseline_year"]), ("factor_set", d["factor_set"])) if v not in (None, False, "")]))
    services.confirm_gate(request.user, z, boundary=d["boundary"], enterprise_list=d["enterprise_list"],
                          baseline_year=d["baseline_year"], factor_set_id=d["factor_set"] or "")
    messages.success(request, f"已保存{z.name}的碳核算数据条件。")
    return redirect("carbon:zone", code=z.code)


@capability_required(COMPUTE_CARBON)
@require_POST
def account(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    z = _writable_zone(request, code)
    form = AccountForm(request.POST, years=_years(z))
    if not form.is_valid():
        messages.error(request, "请选择有能源消费记录的核算年度。")
        return redirect("carbon:zone", code=z.code)
    year = form.cleaned_data["year"]
    if not is_confirmed(request):
        gate = getattr(z, "carbon_gate", None)
        formal = gate is not None and not gate.missing
        return confirmation_page(request, Confirmation(
            title="确认核算", action=request.path, cancel=reverse("carbon:zone", args=[z.code]),
            message=f"将按{z.name}{year}年企业能源消费记录核算并保存结果（记入操作日志），结果固定所用因子集版本。",
            button="确认核算", facts=[("核算年度", f"{year} 年"), ("企业记录", f"{services.record_count(z, year)} 条"),
                                  ("性质", "正式核算" if formal else "试算（数据条件未全部确认）")],
            fields=[("year", str(year))]))
    try:
        done = services.run_or_queue(request.user, z, year)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("carbon:zone", code=z.code)
    if isinstance(done, Job):
        messages.info(request, "记录较多，已转为后台任务：完成后在任务页查看。")
        return redirect("jobs:detail", pk=done.pk)
    messages.success(request, f"已完成{z.name}{year}年碳排放核算。")
    return redirect("carbon:zone", code=z.code)


@capability_required(COMPUTE_CARBON)
@require_POST
def freeze(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    z = _writable_zone(request, code)
    a = CarbonAccount.objects.filter(zone=z, pk=record_id(request.POST.get("account")) or 0).first()
    if a is None:
        raise Http404
    if not is_confirmed(request):
        return confirmation_page(request, Confirmation(
            title="确认冻结为基准", action=request.path, cancel=reverse("carbon:zone", args=[z.code]),
            message=(f"冻结后{z.name}{a.year}年的核算不再重新计算或替换，作为基准数据；"
                     "此后新增或更正因子不改变其数值。此操作不可撤销。"),
            button="确认冻结", facts=[("核算年度", f"{a.year} 年"), ("因子集", f"{a.factor_set_version} 版"),
                                  ("性质", "正式核算" if a.formal else "试算")],
            fields=[("account", str(a.pk))]))
    try:
        services.freeze(request.user, a)
        messages.success(request, f"已将{z.name}{a.year}年核算冻结为基准。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("carbon:zone", code=z.code)


@capability_required(VIEW_CARBON)
def report(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    z = zone_get(request.user.scope, code)
    c = selectors.zone_carbon(z)
    if c.account is None:
        raise Http404("尚未核算")
    blob = baseline_report_docx(c, issued=timezone.localdate())
    return download(blob, DOCX, f"零碳园区基准年碳排放盘查报告_{z.name}_{c.account.year}.docx")


CERT_COLUMNS = (
    lists.Column("platform", "交易平台", "get_platform_display", field="platform"),
    lists.Column("range", "证书编号", lambda g: str(g), field="first_id"),
    lists.Column("certificates", "证书数量（张）", field="certificates", kind="integer"),
    lists.Column("mwh", "电量（兆瓦时）", field="mwh", kind="number"),
    lists.Column("project", "发电项目", field="project"),
    lists.Column("period", "生产期间", "production_period", field="production_period", natural=True),
    lists.Column("holder", "持有企业", "holder.name", field="holder__name"),
    lists.Column("zone", "园区", "holder.zone.name", field="holder__zone__code"),
    lists.Column("retired", "注销用于年度", lambda g: f"{g.retired_year} 年" if g.retired_year else "未注销",
                 field="retired_year"),
)


@capability_required(VIEW_CARBON)
def certificates(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.certificates(request.user.scope)
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = rows.filter(project__icontains=q) | rows.filter(holder__name__icontains=q) | rows.filter(first_id=q)
    table = lists.listing(rows, request.GET, CERT_COLUMNS, default_sort="zone")
    if lists.wants_export(request.GET):
        return lists.export(table, title="绿证登记", filename="绿证登记")
    return render(request, "carbon/certificates.html", {"listing": table, "page": table.page, "q": q,
                                                        "rule": "1 个绿证对应 1000 千瓦时（发改能源〔2023〕1044号）",
                                                        "platforms": GreenCertificate.Platform.choices})


