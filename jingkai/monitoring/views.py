"""Monitoring pages: the dashboard, the reporting status and review, and the bulletins."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jingkai.engines.monitoring import derive, to_records, view
from jingkai.monitoring import services
from jingkai.monitoring.models import Bulletin, ReportingCalendar, Submission
from jingkai.zones.selectors import zone_list

NATIONAL_AVERAGE = "国家级经开区合计"
FREQUENCIES = {"month": "月度", "quarter": "季度", "year": "年度"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _calendar() -> ReportingCalendar:
    calendar = ReportingCalendar.objects.filter(frequency="month").order_by("id").first()
    if calendar is None:
        raise Http404("尚未配置月报报送日历")
    return calendar


def _recent_periods(today: date, n: int) -> list[str]:
    periods, year, month = [], today.year, today.month
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        periods.append(f"{year}-{month:02d}")
    return periods


def _derived(rows: list[dict], freq: str) -> list[dict]:
    """Derived figures at a frequency; quarterly 当季值/当季同比 travel in the monthly columns."""
    if freq == "month":
        return to_records(derive(rows))
    records = to_records(view(rows, freq))
    for r in records:
        r["month_value"], r["yoy_month"] = r.pop("quarter_value", None), r.pop("yoy_quarter", None)
    return records


def _periods_at(months: list[str], freq: str) -> list[str]:
    """The quarters or years whose last month is among `months`."""
    if freq == "quarter":
        return [f"{m[:4]}-Q{int(m[5:]) // 3}" for m in months if int(m[5:]) % 3 == 0]
    if freq == "year":
        return [m[:4] for m in months if m.endswith("-12")]
    return months


@login_required
def dashboard(request):
    calendar = _calendar()
    freq = request.GET.get("freq") if request.GET.get("freq") in FREQUENCIES else "month"
    months = sorted(Submission.objects.filter(calendar=calendar, state="approved")
                    .values_list("period", flat=True).distinct())
    periods = _periods_at(months, freq)
    period = request.GET.get("period") if request.GET.get("period") in periods else (periods[-1] if periods else None)
    zones = zone_list(request.user.scope).filter(id__in=calendar.zones.all())
    # Ranks, shares of the province and the national benchmark are province-wide figures (as in the
    # published bulletin): they are computed over every zone; the user sees the rows of their own zones.
    every = list(calendar.zones.all())
    visible = set(zones.values_list("code", flat=True))
    tables, trend = [], {}
    if period:
        year = int(period[:4])
        rows = services.indicator_rows(calendar, [z.id for z in every], {year - 1, year}, approved_only=True)
        derived = _derived(rows, freq) if rows else []
        names = {z.code: z.name for z in every}
        for key in services.BULLETIN_INDICATORS:
            current = sorted((r for r in derived if r["period"] == period and r["indicator"] == key
                              and r["zone_code"] in visible),
                             key=lambda r: (r["rank"] is None, r["rank"] or 0))
            if current:
                tables.append({"key": key, "rows": [dict(r, name=names[r["zone_code"]]) for r in current]})
        for r in derived:
            if (r["indicator"] == "industrial_output" and r["period"][:4] == str(year)
                    and r["zone_code"] in visible):
                trend.setdefault(names[r["zone_code"]], {})[r["period"]] = r["yoy_cumulative"]
        # The benchmark line: the four national zones taken together.
        national = {z.code for z in every if z.level == "national_etdz"}
        totals: dict[str, list[float]] = {}
        for r in rows:
            if r["indicator"] == "industrial_output" and r["zone_code"] in national:
                totals.setdefault(r["period"], []).append(r["value"])
        # A total is only a total when every national zone's figure for the month has been reviewed.
        total_rows = [{"zone_code": "NATIONAL", "period": p, "indicator": "industrial_output", "value": sum(v)}
                      for p, v in totals.items() if len(v) == len(national)]
        for r in _derived(total_rows, freq) if total_rows else []:
            if r["period"][:4] == str(year):
                trend.setdefault(NATIONAL_AVERAGE, {})[r["period"]] = r["yoy_cumulative"]
    from jingkai.engines.monitoring import indicator_label, indicator_unit

    for table in tables:
        table["label"], table["unit"] = indicator_label(table["key"]), indicator_unit(table["key"])
    months = sorted({p for series in trend.values() for p in series})
    chart = {"months": months, "benchmark": NATIONAL_AVERAGE,
             "series": [{"name": name, "data": [s.get(m) for m in months]} for name, s in sorted(trend.items())]}
    return render(request, "monitoring/dashboard.html",
                  {"period": period, "periods": periods[::-1], "tables": tables, "chart": chart,
                   "freq": freq, "frequencies": FREQUENCIES, "freq_label": FREQUENCIES[freq],
                   "zone_count": zones.count()})


@login_required
def submissions(request):
    calendar = _calendar()
    today = date.today()
    zones = zone_list(request.user.scope).filter(id__in=calendar.zones.all())
    periods = _recent_periods(today, 6)
    matrix = services.status_matrix(calendar, zones, periods, today)
    # 催报: who still owes the latest period (not reported, overdue or returned for revision).
    owing = [(row["zone"], row["cells"][0][1]) for row in matrix
             if row["cells"][0][1] in {services.NOT_REPORTED, services.OVERDUE, "退回"}]
    return render(request, "monitoring/submissions.html", {
        "calendar": calendar, "matrix": matrix, "periods": periods, "owing": owing,
        "latest": periods[0], "due": services.due_date(calendar, periods[0]),
        "can_review": request.user.scope.kind == "province",
        # 报送 is the zone's (or its city's) job: the province reviews, departments only read.
        "can_submit": request.user.scope.can_write_zone_data and request.user.scope.kind != "province"})


@login_required
@require_POST
def submit(request, zone_code: str, period: str):
    zone = get_object_or_404(zone_list(request.user.scope), code=zone_code)
    try:
        submission = services.submit(request.user, _calendar(), zone, period)
        problems = len(submission.violations)
        messages.success(request, f"已报送 {zone.name} {period}" + (f"，发现 {problems} 项数据质量问题" if problems else ""))
        return redirect("monitoring_submission", submission_id=submission.pk)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("monitoring_submissions")


@login_required
def submission_detail(request, submission_id: int):
    zones = zone_list(request.user.scope)
    submission = get_object_or_404(Submission.objects.filter(zone__in=zones).select_related("zone"), pk=submission_id)
    if request.method == "POST":
        try:
            services.review(request.user, submission, request.POST.get("decision") == "approve",
                            request.POST.get("comment", ""))
            messages.success(request, "审核意见已保存。")
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("monitoring_submission", submission_id=submission.pk)
    return render(request, "monitoring/submission.html", {
        "submission": submission, "can_review": request.user.scope.kind == "province"})


@login_required
def bulletins(request):
    if request.method == "POST":
        try:
            if request.user.scope.kind != "province":
                raise PermissionDenied("只有省商务厅可以起草通报")
            services.draft_bulletin(request.user, _calendar(), request.POST["period"])
            messages.success(request, "通报草稿已生成。")
        except (PermissionDenied, ValidationError, RuntimeError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("monitoring_bulletins")
    visible = Bulletin.objects.defer("document")
    if request.user.scope.kind != "province":
        visible = visible.filter(state=Bulletin.State.PUBLISHED)
    return render(request, "monitoring/bulletins.html", {
        "bulletins": visible, "periods": _recent_periods(date.today(), 12),
        "can_draft": request.user.scope.kind == "province"})


@login_required
@require_POST
def bulletin_advance(request, bulletin_id: int):
    try:
        services.advance_bulletin(request.user, get_object_or_404(Bulletin, pk=bulletin_id))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("monitoring_bulletins")


@login_required
def bulletin_download(request, bulletin_id: int):
    visible = Bulletin.objects.all()
    if request.user.scope.kind != "province":
        visible = visible.filter(state=Bulletin.State.PUBLISHED)
    bulletin = get_object_or_404(visible, pk=bulletin_id)
    response = HttpResponse(bytes(bulletin.document), content_type=DOCX)
    name = quote(f"经济运行通报_{bulletin.period}{'' if bulletin.state == Bulletin.State.PUBLISHED else '_' + bulletin.get_state_display()}.docx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
