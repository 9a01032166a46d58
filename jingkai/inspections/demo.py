"""Demo 涉企检查: three departments' published items (and one unpublished), inspectors (one without a valid
执法证), and this quarter's draw for each national zone. Credit classes are on the demo enterprises already."""

import datetime as dt

from jingkai.inspections.models import Draw, InspectionItem, Inspector
from jingkai.inspections.services import run_draw
from jingkai.zones.models import Zone

PUBLISHED = dt.date(2025, 6, 30)
ITEMS = [  # (department, code, name, basis, applies_to, published)
    ("省市场监管局", "SJ-001", "食品生产企业监督检查", "《中华人民共和国食品安全法》第一百一十条", "C13;C14;C15", True),
    ("省市场监管局", "SJ-002", "特种设备使用单位监督检查", "《中华人民共和国特种设备安全法》第五十七条", "", True),
    ("省应急管理厅", "YJ-001", "危险化学品企业安全生产检查", "《危险化学品安全管理条例》第七条", "C25;C26;C27", True),
    ("省应急管理厅", "YJ-002", "工贸企业安全生产检查", "《中华人民共和国安全生产法》第六十五条", "C", True),
    ("省生态环境厅", "HB-001", "排污许可证执行情况检查", "《排污许可管理条例》第二十八条", "C;D", True),
    ("省生态环境厅", "HB-009", "环境信息依法披露检查（拟公布）", "《企业环境信息依法披露管理办法》", "C", False),
]


def build(seed: int, today: dt.date) -> int:
    Draw.objects.all().delete()
    InspectionItem.objects.all().delete()
    Inspector.objects.all().delete()
    InspectionItem.objects.bulk_create(
        InspectionItem(department=d, item_code=c, name=n, legal_basis=b, applies_to=a,
                       published_on=PUBLISHED if p else None) for d, c, n, b, a, p in ITEMS)
    people = []
    for k, dept in enumerate(sorted({i[0] for i in ITEMS})):
        for j in range(6):
            valid = dt.date(today.year + 2, 12, 31) if j != 5 else dt.date(today.year - 1, 12, 31)  # one expired
            people.append(Inspector(department=dept, person_id=f"ZF{k + 1:02d}{j + 1:03d}",
                                    name=f"{'张王李赵刘陈'[j]}{'明华军'[k]}", cert_no=f"甘执{k + 1:02d}{j + 1:04d}",
                                    cert_valid_to=valid))
    Inspector.objects.bulk_create(people)
    period = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    zones = Zone.objects.filter(enterprises__isnull=False).distinct().order_by("code")
    return len([run_draw(None, zone, period, seed * 1000 + n, today) for n, zone in enumerate(zones)])
