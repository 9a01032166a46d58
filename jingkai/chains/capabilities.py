"""Chains: everyone reads the chain maps within their scope; a zone confirms or corrects its own enterprises'
links; the province runs the assignment and keeps the 链主 and target-company registries."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_CHAINS = capability("chains.view", "查看产业链图谱", PROVINCE, DEPARTMENT, CITY, ZONE)
CONFIRM_LINKS = capability("chains.confirm", "确认或更正企业所属产业链环节", PROVINCE, CITY, ZONE)
RUN_ASSIGNMENT = capability("chains.assign", "运行企业归链", PROVINCE)
MANAGE_REGISTRY = capability("chains.registry", "维护链主企业和招商目标企业名录", PROVINCE, DEPARTMENT)
MANAGE_PURCHASES = capability("chains.purchases", "登记链主采购数据（本地配套率）", PROVINCE, CITY, ZONE)
