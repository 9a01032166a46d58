"""Enterprise records are read by every role within its scope."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_ENTERPRISES = capability("enterprises.view", "查看企业", PROVINCE, DEPARTMENT, CITY, ZONE)
