"""Rights in 涉企检查: every unit reads the draws in its scope; drawing is the province's (on behalf of the
departments, whose plans the draw executes) — a department's own plan workflow is not built yet."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_INSPECTIONS = capability("inspections.view", "查看涉企检查抽查结果", PROVINCE, DEPARTMENT, CITY, ZONE)
RUN_DRAWS = capability("inspections.run_draws", "执行双随机抽取", PROVINCE)
ALL = [VIEW_INSPECTIONS, RUN_DRAWS]
