"""Rights in the enterprise programmes (梯度培育, 亩均, 创新积分)."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_PROGRAMMES = capability("programmes.view", "查看企业培育与评价", PROVINCE, DEPARTMENT, CITY, ZONE)
RUN_PROGRAMME = capability("programmes.run", "运行评价", PROVINCE, DEPARTMENT)
EXPORT_LIST = capability("programmes.export_list", "导出推荐名单", PROVINCE, DEPARTMENT, CITY, ZONE)
