"""Rights in 绿色低碳: every unit reads the accounts of the zones in its scope; a zone's committee (or the province)
confirms its data gate and computes its account."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_CARBON = capability("carbon.view", "查看碳核算与零碳园区对标", PROVINCE, DEPARTMENT, CITY, ZONE)
COMPUTE_CARBON = capability("carbon.compute", "确认核算条件并核算园区碳排放", PROVINCE, ZONE)
ALL = [VIEW_CARBON, COMPUTE_CARBON]
