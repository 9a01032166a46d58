"""Imports write zone data: departments only read it (see accounts.scope)."""

from jingkai.accounts.authz import CITY, PROVINCE, ZONE
from jingkai.registry import capability

IMPORT_ZONE_DATA = capability("intake.import_zone_data", "导入园区和企业数据", PROVINCE, CITY, ZONE)
