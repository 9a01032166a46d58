"""Imports write zone data: departments only read it (see accounts.scope)."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

IMPORT_ZONE_DATA = capability("intake.import_zone_data", "导入园区和企业数据", PROVINCE, CITY, ZONE)
USE_INTAKE = capability("intake.use", "使用数据导入导出", PROVINCE, DEPARTMENT, CITY, ZONE)
PURGE_UPLOADS = capability("intake.purge_uploads", "清理过期的上传文件", PROVINCE)
