"""Rights in 后台任务: everyone signed in with a unit submits and follows their own jobs; a job's own right
(say, exporting a table) is checked by its kind when it is submitted and again when it runs."""

from jingkai.accounts.authz import CITY, DEPARTMENT, PROVINCE, ZONE
from jingkai.registry import capability

USE_JOBS = capability("jobs.use", "使用后台任务", PROVINCE, DEPARTMENT, CITY, ZONE)
ALL = [USE_JOBS]
