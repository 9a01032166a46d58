"""Rights over green and key projects and the lists pushed to banks (措施（十四）（十六）)."""

from jingkai.accounts.authz import BANK, CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_PROJECTS = capability("finance.view", "查看绿色和重点项目", PROVINCE, DEPARTMENT, CITY, ZONE)
MANAGE_PROJECTS = capability("finance.manage", "登记和修改绿色和重点项目", PROVINCE, CITY, ZONE)
PUSH_LISTS = capability("finance.push", "向金融机构推送项目清单", PROVINCE, CITY, ZONE)
RECEIVE_LISTS = capability("finance.receive", "查看推送给本机构的项目清单并反馈对接情况", BANK)
