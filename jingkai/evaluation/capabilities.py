"""Rights in the composite evaluation: everyone with an organisation reads the ranking (MOFCOM publishes
it); only the province computes runs."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_EVALUATION = capability("evaluation.view", "查看综合评价", PROVINCE, DEPARTMENT, CITY, ZONE)
COMPUTE = capability("evaluation.compute", "计算综合评价", PROVINCE)
