"""Rights in the investment-attraction pipeline (招商项目)."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_PROJECTS = capability("investment.view", "查看招商项目", PROVINCE, DEPARTMENT, CITY, ZONE)
MANAGE_PROJECTS = capability("investment.manage", "登记和推进招商项目", PROVINCE, CITY, ZONE)
REVIEW_FAIR_COMPETITION = capability("investment.fair_competition", "登记公平竞争审查结果", PROVINCE, CITY, ZONE)
