from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jingkai.monitoring.bulletin import build_bulletin, document_number
from jingkai.monitoring.models import ReportingCalendar
from jingkai.monitoring.selectors import bulletin_data
from jingkai.zones.periods import parse_period


class Command(BaseCommand):
    help = "生成经济运行通报（Word，公文格式），只使用已审核的数据"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM（1月起累计）")
        parser.add_argument("--out", help="输出文件，默认 bulletin-YYYY-MM.docx")
        parser.add_argument("--number", help="发文字号，如 甘商运通〔2026〕11号")
        parser.add_argument("--date", help="成文日期 YYYY-MM-DD（默认今天）；报送情况按该日计算，同一数据同一日期生成的文件逐字节相同")

    def handle(self, *args, period, out=None, number=None, date=None, **options):
        p = parse_period(period)
        if p is None or p.month is None:
            raise CommandError(f"期间“{period}”格式应为 YYYY-MM")
        calendar = ReportingCalendar.objects.filter(frequency="month").order_by("id").first()
        if calendar is None:
            raise CommandError("尚未配置月报报送日历（先运行 jingkai demo 或在后台配置）")
        from django.utils import timezone

        issued = _date(date) if date else timezone.localdate()
        data = bulletin_data(calendar, period, issued)
        data.document_number = document_number(number)
        document = build_bulletin(data)
        path = Path(out or f"bulletin-{period}.docx")
        path.write_bytes(document)
        self.stdout.write(f"已生成 {path}（{len(document):,} 字节）")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"成文日期“{text}”格式应为 YYYY-MM-DD（如 2026-12-05）") from None
