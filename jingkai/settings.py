"""Django settings. Everything a deployment changes comes from JINGKAI_* environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("JINGKAI_VAR_DIR", BASE_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("JINGKAI_SECRET_KEY"):
        return key
    # A local install keeps one generated key, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():  # readable by the service's own user only (mode 0600)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JINGKAI_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("JINGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",  # Content-Security-Policy header (CONTENT_SECURITY_POLICY below)
    "axes",  # login throttling and lockout (jingkai.accounts.lockout)
    "ninja",  # serves its Swagger UI files locally instead of from a CDN
    "django_tasks",  # the queue of background jobs (Django's tasks API, backported), drained by `jingkai worker`
    "django_tasks_db",
    "jingkai.accounts",
    "jingkai.audit",
    "jingkai.zones",
    "jingkai.enterprises",
    "jingkai.intake",
    "jingkai.demo",
    "jingkai.evaluation",
    "jingkai.programmes",
    "jingkai.chains",
    "jingkai.measures",
    "jingkai.monitoring",
    "jingkai.investment",
    "jingkai.inspections",
    "jingkai.carbon",
    "jingkai.finance",
    "jingkai.jobs",
    "jingkai.ops",
    "jingkai.sysadmin",
    "jingkai.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "jingkai.urls"
WSGI_APPLICATION = "jingkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],  # lets web/templates/admin override the admin's pages
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jingkai.web.context.navigation",
            ]
        },
    }
]

DATABASE_URL = os.environ.get("JINGKAI_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jingkai.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web app read while an import writes; a writer waits up to JINGKAI_SQLITE_TIMEOUT seconds
    # for another's lock instead of failing at once ("database is locked"), and takes the write lock when
    # its transaction starts (IMMEDIATE), so two approvals queue instead of one failing on upgrade.
    # Multi-user deployments run on PostgreSQL (README).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("JINGKAI_SQLITE_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
AUTHENTICATION_BACKENDS = [
    "jingkai.accounts.lockout.LockoutBackend",  # first: refuses a locked-out user or address before the password
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (jingkai.accounts.lockout): per user name and per address, with a cool-down.
AXES_FAILURE_LIMIT = int(os.environ.get("JINGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("JINGKAI_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: a user from any address, an address for any user
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # shown as 登录失败与锁定 (jingkai.accounts.admin), in Chinese
AXES_LOCKOUT_CALLABLE = "jingkai.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "jingkai.accounts.lockout.client_ip"
AXES_VERBOSE = False  # the lockout is logged once, in Chinese, by jingkai.accounts.lockout
# The request header that carries the browser's address behind a reverse proxy (empty: the connection's).
CLIENT_IP_HEADER = os.environ.get("JINGKAI_CLIENT_IP_HEADER", "")
# Content-Security-Policy (django-csp) on every response: everything from this site only, no inline script
# or <style>, no eval, no plugins, not framed. Pages pass data with json_script and behaviour with data
# attributes (web/static/web/site.js). The one allowance: style attributes (style-src-attr), because ECharts
# builds its tooltips as HTML with inline styles (and the 市州 tile grid places tiles with them); a style
# attribute cannot run script, while <style> elements and outside stylesheets stay refused. data: images are the favicon placeholder and
# Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The other security headers (SecurityMiddleware, XFrameOptionsMiddleware), said here rather than left to
# Django's defaults; HTTPS-only settings (HSTS, secure cookies) are in settings_production.
SECURE_CONTENT_TYPE_NOSNIFF = True  # X-Content-Type-Options: nosniff
SECURE_REFERRER_POLICY = "same-origin"  # other sites never see our URLs (they carry zone codes and queries)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The API's Swagger page and openapi.json (/api/v1/docs, /api/v1/openapi.json): signed-in users only unless 1.
API_DOCS_PUBLIC = os.environ.get("JINGKAI_API_DOCS_PUBLIC", "0") == "1"
LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "jingkai.web.views.csrf_failure"  # the Chinese page inside the site layout
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve from the apps' static folders without collectstatic
# Background jobs: the queue lives in the database (SQLite or PostgreSQL, no other service); result files are kept
# JINGKAI_JOB_RESULT_DAYS days; /healthz calls the worker stopped when its heartbeat is older than the stale limit.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EXPORT_INLINE_ROWS = int(os.environ.get("JINGKAI_EXPORT_INLINE_ROWS", "20000"))  # larger page exports run as jobs
# What stays inside the web request (quick) and what the worker does. Always jobs: programme runs and carbon
# accounts started from the pages (every zone's data), bulletin drafts (a Word document from every zone's figures).
IMPORT_INLINE_ROWS = int(os.environ.get("JINGKAI_IMPORT_INLINE_ROWS", "20000"))  # rows of an uploaded file
LIST_INLINE_ROWS = int(os.environ.get("JINGKAI_LIST_INLINE_ROWS", "5000"))  # programme lists (推荐名单 …)
# Monte Carlo (uncertainty analysis) up to this N is computed in the request (N = 200: well under a second); more goes to the worker.
EVALUATION_INLINE_REPLICATIONS = int(os.environ.get("JINGKAI_EVALUATION_INLINE_REPLICATIONS", "200"))
DRAW_INLINE_ENTERPRISES = int(os.environ.get("JINGKAI_DRAW_INLINE_ENTERPRISES", "3000"))  # inspection draws
JOB_RESULT_DAYS = int(os.environ.get("JINGKAI_JOB_RESULT_DAYS", "7"))
WORKER_HEARTBEAT_STALE_SECONDS = int(os.environ.get("JINGKAI_WORKER_STALE_SECONDS", "60"))
MEDIA_ROOT = VAR_DIR / "media"  # never served as such: each app serves its files through a scope-checked view
# Media (uploads, job results, attachments): the filesystem under MEDIA_ROOT by default; with JINGKAI_S3_ENDPOINT,
# an S3-compatible store (MinIO on a government intranet) that every app server and job worker shares, so that
# the servers keep no state of their own (sessions and jobs are in the database). jingkai.media.local_file gives
# code that needs a path (polars) a local copy.
S3_ENDPOINT = os.environ.get("JINGKAI_S3_ENDPOINT", "")
STORAGES: dict[str, dict] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if S3_ENDPOINT:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "endpoint_url": S3_ENDPOINT,
        "bucket_name": os.environ.get("JINGKAI_S3_BUCKET", "jingkai-media"),
        "access_key": os.environ.get("JINGKAI_S3_ACCESS_KEY", ""),
        "secret_key": os.environ.get("JINGKAI_S3_SECRET_KEY", ""),
        "region_name": os.environ.get("JINGKAI_S3_REGION", "us-east-1"),  # MinIO's default region
        "location": os.environ.get("JINGKAI_S3_PREFIX", ""),  # a folder inside the bucket, when it is shared
        "addressing_style": "path",  # MinIO behind an intranet name: no bucket subdomains
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,  # private; never replace a file
        "verify": os.environ.get("JINGKAI_S3_VERIFY", "1") != "0",  # 0 only for a self-signed test endpoint
    }}
# 督办 report attachments: the largest file taken, in MB (jingkai.measures.attachments).
MEASURES_ATTACHMENT_MAX_BYTES = int(float(os.environ.get("JINGKAI_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024)

# Imports (jingkai.intake.services.check_size): the largest file, what an .xlsx may unpack to, the most rows.
IMPORT_MAX_BYTES = int(float(os.environ.get("JINGKAI_IMPORT_MAX_MB", "100")) * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = int(float(os.environ.get("JINGKAI_IMPORT_MAX_UNPACKED_MB", "800")) * 1024 * 1024)
IMPORT_MAX_ROWS = int(os.environ.get("JINGKAI_IMPORT_MAX_ROWS", "2000000"))
# An import compares and writes its rows in chunks of this many (in its one transaction): memory holds one chunk's values
IMPORT_WRITE_CHUNK_ROWS = int(os.environ.get("JINGKAI_IMPORT_WRITE_CHUNK_ROWS", "50000"))
# Uploaded import files (and their error reports) are kept this many days, then `jingkai purge-uploads`
# deletes them (run it daily from cron). 0 keeps them for ever.
IMPORT_RETENTION_DAYS = int(os.environ.get("JINGKAI_IMPORT_RETENTION_DAYS", "90"))

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Shared reference material (policy, data dictionary) lives beside the repository.
SHARED_DIR = Path(os.environ.get("JINGKAI_SHARED_DIR", BASE_DIR.parent.parent / "shared"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JINGKAI_LOG_LEVEL", "WARNING")},
}
