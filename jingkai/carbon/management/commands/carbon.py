"""`jingkai carbon account --data FILE.csv|FILE.xlsx [--factors ID|FILE.yaml] [--green-power zero|grid]
--format json [--out FILE]`: energy (tce, 当量值/等价值) and CO₂ by source per entity-year, with the factor set pinned.

`jingkai carbon zero-carbon --data FILE.csv [--thresholds ID|FILE.yaml] [--target-year Y] [--factors ID]
--format json [--out FILE]`: 零碳园区 1+5 readiness per zone-year (optional column `province` gives the zone's grid
factor and so the green power to add). Neither touches the database.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.engines import carbon as engine


class Command(BaseCommand):
    help = "碳核算：能耗（当量值/等价值）与分来源二氧化碳排放（account）；零碳园区“1+5”指标对标（zero-carbon）"
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="account|zero-carbon")
        a = sub.add_parser("account", help="按企业（或园区）年度核算能耗与二氧化碳排放")
        a.add_argument("--data", required=True,
                       help="能源消费数据（CSV/Excel）：entity, year, province, electricity_kwh, green_power_kwh, "
                            "coal_t, natural_gas_m3, diesel_t, gasoline_t, heat_gj（可选 steam_t, "
                            "electricity_exported_kwh, heat_exported_gj）")
        a.add_argument("--factors", help="因子集编号或文件（YAML），默认为最新版本")
        a.add_argument("--green-power", choices=["zero", "grid"], help="绿电核算方法，默认按因子集")
        z = sub.add_parser("zero-carbon", help="零碳园区“1+5”指标对标")
        z.add_argument("--data", required=True,
                       help="园区数据（CSV/Excel）：zone_code, year, energy_tce, co2_t, clean_energy_share, "
                            "product_energy_grade2, solid_waste_utilisation, waste_heat_utilisation, water_reuse"
                            "（比例以小数填写；可选 province）")
        z.add_argument("--thresholds", default="zero-carbon-910-2025", help="指标文件编号或文件（YAML）")
        z.add_argument("--factors", help="因子集编号或文件（YAML），用于折算需增加的绿电")
        z.add_argument("--target-year", type=int, help="达标目标年份（计算年均需减排量）")
        for p in (a, z):
            p.add_argument("--format", choices=["json"], default="json")
            p.add_argument("--out", help="写入文件（默认输出到屏幕）")

    def handle(self, *args, **opts):
        try:
            if opts["action"] == "account":
                result = self.account(opts)
                summary = f"核算 {len(result['results'])} 条记录（因子集 {result['factor_set']['id']}）"
            else:
                result = self.zero_carbon(opts)
                summary = f"对标 {len(result['results'])} 个园区年度"
        except (engine.DataError, engine.FactorError, engine.UnitError) as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
        if opts["out"]:
            Path(opts["out"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"已写入 {opts['out']}：{summary}")
        else:
            self.stdout.write(text, ending="")

    def account(self, opts):
        fs = engine.load(opts["factors"])
        rows = engine.records(engine.read_table(opts["data"]), set(fs.regions))
        return engine.to_json(engine.account(rows, fs, opts["green_power"]))

    def zero_carbon(self, opts):
        th = engine.load_thresholds(opts["thresholds"])
        fs = engine.load(opts["factors"])
        return engine.assess_all(engine.read_zones(opts["data"], set(fs.regions)), th, fs, opts["target_year"])
