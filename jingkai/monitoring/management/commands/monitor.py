"""`jingkai monitor derive|check --data FILE.csv [--format json|csv]`: the monitoring engine on a file.

Reads canonical rows (zone_code, period, indicator, value; monthly figures cumulative from January) and
prints the derived figures or the data-quality violations. Never touches the database.
"""

import json

import polars as pl
from django.core.management.base import BaseCommand, CommandError

from jingkai.engines.monitoring import CheckConfig, DataError, check, derive, read_csv, to_records, view
from jingkai.spreadsheets import csv_safe_frame


def _keys(text: str | None) -> list[str] | None:
    return None if text is None else [k.strip() for k in text.split(",") if k.strip()]


class Command(BaseCommand):
    help = "经济运行监测：由累计数据计算当月值、同比、比重、排名（derive），或运行数据质量规则（check）"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="derive|check")
        for name, text in (("derive", "计算派生指标"), ("check", "运行数据质量规则")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--data", required=True, help="CSV 文件：zone_code, period, indicator, value")
            p.add_argument("--format", choices=["json", "csv"], default="json")
            p.add_argument("--flows", help="按年累计的流量指标，逗号分隔（默认：地区生产总值等金额类指标）")
        d = sub.choices["derive"]
        d.add_argument("--view", choices=["quarter", "year"], help="由月度数据汇总为季度或年度后再计算")
        c = sub.choices["check"]
        c.add_argument("--expected", help="应报清单 CSV：zone_code, period, indicator（检查完整性）")
        c.add_argument("--z-threshold", type=float, default=CheckConfig.z_threshold, help="增速异常的稳健z值阈值")
        c.add_argument("--growth-field", choices=["yoy_cumulative", "yoy_month"], default=CheckConfig.growth_field)
        c.add_argument("--extreme-rate", type=float, default=CheckConfig.extreme_rate,
                       help="增速过高的阈值（1 = ±100%%，平台默认值，非官方口径）")
        c.add_argument("--trade-tolerance", type=float, default=CheckConfig.trade_abs_tol,
                       help="出口+进口与进出口总额的允许误差（万元）")

    def handle(self, *args, action, data, format, flows, **opts):
        try:
            rows = read_csv(data)
            if action == "derive":
                frame = view(rows, opts["view"], _keys(flows)) if opts["view"] else derive(rows, _keys(flows))
                self._derive(frame, format)
            else:
                expected = read_csv_keys(opts["expected"]) if opts["expected"] else None
                cfg = CheckConfig(z_threshold=opts["z_threshold"], growth_field=opts["growth_field"],
                                  trade_abs_tol=opts["trade_tolerance"], extreme_rate=opts["extreme_rate"])
                found = check(rows, expected=expected, flows=_keys(flows), config=cfg)
                if format == "json":
                    self._json({"violations": found.to_dicts()})
                else:
                    self.stdout.write(csv_safe_frame(found).write_csv().rstrip("\n"))
        except DataError as exc:
            raise CommandError(str(exc)) from exc

    def _derive(self, frame: pl.DataFrame, format: str) -> None:
        if format == "json":
            self._json({"rows": to_records(frame)})
            return
        figures = [c.removeprefix("reason_") for c in frame.columns if c.startswith("reason_")]
        extra = [c for c in frame.columns if c.startswith(("base_", "note_", "flag_"))]
        cols = ["zone_code", "period", "indicator", "value", *figures, *(f"reason_{f}" for f in figures), *extra]
        frame = frame.select(cols).with_columns(pl.col(pl.Float64).round(10))
        self.stdout.write(csv_safe_frame(frame).write_csv().rstrip("\n"))

    def _json(self, payload: dict) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))


def read_csv_keys(path: str) -> pl.DataFrame:
    """The expected (zone_code, period, indicator) of a reporting calendar, from a CSV file."""
    try:
        df = pl.read_csv(path, infer_schema=False)
    except (FileNotFoundError, pl.exceptions.PolarsError) as exc:
        raise CommandError(f"无法读取应报清单 {path}：{exc}") from exc
    missing = {"zone_code", "period", "indicator"} - set(df.columns)
    if missing:
        raise CommandError(f"应报清单缺少列：{'、'.join(sorted(missing))}")
    return df
