"""Rights in the 督办 register. Reviewing a unit's reports also needs the Django permission
`measures.review_progressreport`, granted per person in the admin (a unit's reviewer, not every clerk)."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

ALL_UNITS = (PROVINCE, DEPARTMENT, CITY, ZONE)
VIEW_MEASURES = capability("measures.view", "查看措施督办", *ALL_UNITS)
ASSIGN_TASKS = capability("measures.assign_tasks", "分解下达任务", PROVINCE)
REPORT_PROGRESS = capability("measures.report_progress", "填报任务进展", *ALL_UNITS)
REVIEW_REPORTS = capability("measures.review_reports", "审核本单位进展报告", *ALL_UNITS,
                            permission="measures.review_progressreport")
CONFIRM_REPORTS = capability("measures.confirm_reports", "确认进展报告", PROVINCE)
