"""Django settings. Everything a deployment changes comes from JINGKAI_* environment variables."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

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
    "axes",  # login throttling and lockout (jingkai.accounts.lockout)
    "ninja",  # serves its Swagger UI files locally instead of from a CDN
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
    "jingkai.sysadmin",
    "jingkai.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
MEDIA_ROOT = VAR_DIR / "media"  # never served as such: each app serves its files through a scope-checked view
# 督办 report attachments: the largest file taken, in MB (jingkai.measures.attachments).
MEASURES_ATTACHMENT_MAX_BYTES = int(float(os.environ.get("JINGKAI_ATTACHMENT_MAX_MB", "20")) * 1024 * 1024)

# Imports (jingkai.intake.services.check_size): the largest file, what an .xlsx may unpack to, the most rows.
IMPORT_MAX_BYTES = int(float(os.environ.get("JINGKAI_IMPORT_MAX_MB", "100")) * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = int(float(os.environ.get("JINGKAI_IMPORT_MAX_UNPACKED_MB", "800")) * 1024 * 1024)
IMPORT_MAX_ROWS = int(os.environ.get("JINGKAI_IMPORT_MAX_ROWS", "2000000"))

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
