"""Rights in 涉企检查: every unit reads the draws in its scope and the published plans; a department drafts,
submits and publishes its own annual plans, its 负责人 (a person holding the Django permission
`inspections.approve_inspectionplan`, granted in the admin) approves them, the province records the 备案;
drawing is the province's, on behalf of the departments whose published plans the draw executes. Results
are entered by who inspected (谁检查、谁录入、谁公开): a department named on the visit, or the zone's committee."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_INSPECTIONS = capability("inspections.view", "查看涉企检查抽查结果", PROVINCE, DEPARTMENT, CITY, ZONE)
RUN_DRAWS = capability("inspections.run_draws", "执行双随机抽取", PROVINCE)
EDIT_PLANS = capability("inspections.edit_plans", "编制、提交和公布本部门检查计划", DEPARTMENT)
APPROVE_PLANS = capability("inspections.approve_plans", "审批本部门检查计划", DEPARTMENT,
                           permission="inspections.approve_inspectionplan")
FILE_PLANS = capability("inspections.file_plans", "办理检查计划备案", PROVINCE)
RECORD_RESULTS = capability("inspections.record_results", "录入检查结果和公示情况", DEPARTMENT, ZONE)
ALL = [VIEW_INSPECTIONS, RUN_DRAWS, EDIT_PLANS, APPROVE_PLANS, FILE_PLANS, RECORD_RESULTS]
