"""What zone users may do with zones and their indicator data."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

BROWSE_ZONES = capability("zones.browse", "浏览园区列表", PROVINCE, DEPARTMENT, CITY)
OWN_ZONE = capability("zones.own_zone", "查看本园区", ZONE)
ENTER_ZONE_DATA = capability("zones.enter_data", "填报园区指标", PROVINCE, CITY, ZONE)
VIEW_ZONES = capability("zones.view", "查看园区", PROVINCE, DEPARTMENT, CITY, ZONE)
