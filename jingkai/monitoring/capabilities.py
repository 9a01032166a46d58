"""Rights in the reporting cycle and the 经济运行通报."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

VIEW_MONITORING = capability("monitoring.view", "查看经济运行监测", PROVINCE, DEPARTMENT, CITY, ZONE)
SUBMIT = capability("monitoring.submit", "报送园区月度数据", CITY, ZONE)
REVIEW = capability("monitoring.review", "审核报送数据", PROVINCE)
DRAFT_BULLETIN = capability("monitoring.draft_bulletin", "起草经济运行通报", PROVINCE)
PUBLISH_BULLETIN = capability("monitoring.publish_bulletin", "审核和发布经济运行通报", PROVINCE)
VIEW_BULLETIN_DRAFTS = capability("monitoring.view_bulletin_drafts", "查看未发布的经济运行通报", PROVINCE)

ALL = [VIEW_MONITORING, SUBMIT, REVIEW, DRAFT_BULLETIN, PUBLISH_BULLETIN, VIEW_BULLETIN_DRAFTS]
