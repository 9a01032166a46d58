"""Production settings: a government intranet deployment served over HTTPS by a reverse proxy.

    DJANGO_SETTINGS_MODULE=jingkai.settings_production JINGKAI_SECRET_KEY=… JINGKAI_ALLOWED_HOSTS=… jingkai serve

The proxy terminates TLS and must send `X-Forwarded-Proto: https` (and strip any such header from clients).
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before the base settings load: they would otherwise generate and store a key under var/, and
# every instance behind the proxy must sign sessions and CSRF tokens with the same key.
if not os.environ.get("JINGKAI_SECRET_KEY"):
    raise ImproperlyConfigured("生产环境必须通过环境变量 JINGKAI_SECRET_KEY 提供密钥")

from jingkai.settings import *  # noqa: F403

DEBUG = False

# The app sees plain HTTP from the proxy; the proxy's header says what the browser used.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The browser's address for the login lockout: the last X-Forwarded-For entry, the one the proxy appends.
CLIENT_IP_HEADER = os.environ.get("JINGKAI_CLIENT_IP_HEADER", "HTTP_X_FORWARDED_FOR")
SECURE_SSL_REDIRECT = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 365 * 24 * 3600
# Sibling hosts on the intranet are not ours and may still be plain HTTP: HSTS covers this host only.
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
# The browsers' HSTS preload list is for public domains; an intranet host name cannot be submitted.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = [
    "security.W005",  # SECURE_HSTS_INCLUDE_SUBDOMAINS is False on purpose (above)
    "security.W021",  # SECURE_HSTS_PRELOAD is False on purpose (above)
]
