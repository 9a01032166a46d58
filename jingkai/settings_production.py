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
SESSION_COOKIE_SECURE = True  # cookies only over HTTPS
CSRF_COOKIE_SECURE = True
# HSTS: browsers keep to HTTPS for this long (JINGKAI_HSTS_SECONDS; a year by default, 0 turns it off, e.g.
# for a first rollout of the certificate: start small, raise it once HTTPS holds).
SECURE_HSTS_SECONDS = int(os.environ.get("JINGKAI_HSTS_SECONDS", str(365 * 24 * 3600)))
# Sibling hosts on the intranet are not ours and may still be plain HTTP: HSTS covers this host only, unless
# JINGKAI_HSTS_INCLUDE_SUBDOMAINS=1 says every subdomain is HTTPS too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("JINGKAI_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SESSION_COOKIE_AGE = int(os.environ.get("JINGKAI_SESSION_HOURS", "8")) * 3600  # a working day, then sign in again
# The browsers' HSTS preload list is for public domains; an intranet host name cannot be submitted.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = [
    "security.W021",  # SECURE_HSTS_PRELOAD is False on purpose (above)
]
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    SILENCED_SYSTEM_CHECKS.append("security.W005")  # on purpose (above)
if not SECURE_HSTS_SECONDS:
    SILENCED_SYSTEM_CHECKS.append("security.W004")  # turned off on purpose (JINGKAI_HSTS_SECONDS=0)
