from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.monitoring.bulletin import build_bulletin
from jingkai.monitoring.models import ReportingCalendar
from jingkai.monitoring.selectors import bulletin_data
from jingkai.zones.periods import parse_period


class Command(BaseCommand):
    help = "生成经济运行通报（Word，公文格式），只使用已审核的数据"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM（1月起累计）")
        parser.add_argument("--out", help="输出文件，默认 bulletin-YYYY-MM.docx")

    def handle(self, *args, period, out=None, **options):
        p = parse_period(period)
        if p is None or p.month is None:
            raise CommandError(f"期间“{period}”格式应为 YYYY-MM")
        calendar = ReportingCalendar.objects.filter(frequency="month").order_by("id").first()
        if calendar is None:
            raise CommandError("尚未配置月报报送日历（先运行 jingkai demo 或在后台配置）")
        from django.utils import timezone

        document = build_bulletin(bulletin_data(calendar, period, timezone.localdate()))
        path = Path(out or f"bulletin-{period}.docx")
        path.write_bytes(document)
        self.stdout.write(f"已生成 {path}（{len(document):,} 字节）")
