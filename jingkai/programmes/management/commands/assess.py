"""`jingkai assess --program ID [--data FILE] [--year Y] [--date D] [--format json|csv|xlsx] [--out FILE]`."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from jingkai.engines.rules import Explainer, RuleError, assess, evaluate, header, input_keys, select
from jingkai.jobs.progress import add_quiet, bar
from jingkai.spreadsheets import Book, csv_safe_frame


def read_table(path: Path) -> pl.DataFrame:
    if not path.exists():
        raise CommandError(f"数据文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    if suffix in (".xlsx", ".xls"):
        return pl.read_excel(path)
    raise CommandError(f"不支持的数据文件类型 {suffix}（请用 .csv 或 .xlsx）")


LABELS = {"uscc": "统一社会信用代码", "year": "年度", "eligible": "是否符合", "score": "得分", "class": "分类",
          "stage": "阶段", "gap": "主要差距"}


def write_xlsx(report: dict, table: pl.DataFrame, out: Path, rs) -> None:
    """The flat results (`table`) with Chinese headings (a criterion is headed by its rule in words) and
    classes by name (小型, not small); `report`: the header of the JSON report."""
    from jingkai.programmes.presentation import CATEGORY_LABELS, class_labels

    rules = {k: v for k, v in Explainer(rs).rules().items() if k in table.columns}
    name = report.get("title") or report.get("ruleset") or "评价"
    title = f"{name}评价结果"
    book = Book(out, title=title, as_of=dt.date.fromisoformat(str(report.get("date") or dt.date.today())[:10]),
                subject="企业评价")
    if "class" in table.columns:
        table = table.with_columns(pl.col("class").cast(pl.Utf8).replace(CATEGORY_LABELS | dict(class_labels(rs))))
    book.frame("评价结果", table, title=title, labels=LABELS | rules, decimals=2, freeze_columns=1,
               subtitle=f"依据：{report.get('document') or report.get('ruleset', '')}（{report.get('version', '')}版）　共 {table.height} 家")
    book.close()


class Command(BaseCommand):
    help = "按规则集评价企业（梯度培育、亩均、创新积分、企业划型），输出带解释的结果"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="评价项目或规则集 id，如 sme-specialized、mujun-gansu")
        parser.add_argument("--data", type=Path, help="企业年度数据文件（CSV/XLSX，列名为规范键）；不给则读数据库")
        parser.add_argument("--year", type=int, help="数据年度（上年度）")
        parser.add_argument("--date", type=dt.date.fromisoformat, help="评价日期 YYYY-MM-DD，决定适用的规则版本")
        parser.add_argument("--zone", help="仅评价该园区（读数据库时）")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--out", type=Path, help="输出文件；不给则写到标准输出（xlsx 必须给出）")
        add_quiet(parser)

    def handle(self, *args, **opts):
        on = opts["date"] or dt.date.today()
        try:
            rs = select(opts["program"], on)
        except RuleError as exc:
            raise CommandError(str(exc)) from exc
        if opts["format"] == "xlsx" and not opts["out"]:
            raise CommandError("xlsx 格式须用 --out 指定输出文件")
        with bar(3, f"评价 {rs.id}", opts["quiet"]) as shown:
            shown.progress(0, step="读取企业年度数据")
            report = self.evaluate(rs, on, opts, shown.progress)
            shown.progress(2, step="写出结果")
            self.write(report, opts["format"], opts["out"], rs)
            shown.progress(3)
        if rs.provisional or rs.unverified:
            note = "临时方案" if rs.provisional else "含未经核实的阈值"
            self.stderr.write(f"注意：规则集 {rs.id} {note}，见输出中的 unverified。")

    def evaluate(self, rs, on, opts, progress) -> dict:
        if opts["data"]:
            df = read_table(opts["data"])
            if opts["year"] is not None and "year" in df.columns:
                df = df.filter(pl.col("year").cast(pl.Int64, strict=False) == opts["year"])
        else:
            from jingkai.programmes.loaders import load_enterprise_years

            df = load_enterprise_years(opts["year"], opts.get("zone"), input_keys(rs, on))
        if df.height == 0:
            raise CommandError("没有可评价的企业年度数据")
        progress(1, step=f"评价 {df.height} 行")
        try:
            # csv/xlsx: the flat table computed on columns; json: one explained object per row
            return assess(rs, df, on) if opts["format"] == "json" else \
                {**header(rs, on), "table": Explainer(rs).flat(evaluate(rs, df, on))}
        except RuleError as exc:
            raise CommandError(str(exc)) from exc

    def write(self, report, fmt, out: Path | None, rs=None):
        if fmt == "xlsx":
            assert out is not None  # said in handle, before the work
            write_xlsx(report, report["table"], out, rs)
            return
        if fmt == "csv":
            if out:  # written by polars straight to the file
                csv_safe_frame(report["table"]).write_csv(out)
                return
            buf = io.StringIO()
            csv_safe_frame(report["table"]).write_csv(buf)
            text = buf.getvalue()
        else:
            text = json.dumps(report, ensure_ascii=False, indent=1, default=str)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
