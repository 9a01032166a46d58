"""Where a form sends the user back to: the `next` it was given when that is a page of this site, else the
view's own fallback. Every view that takes `next` uses this one check (never an open redirect)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_or(request: HttpRequest, fallback: str) -> str:
    """The POSTed (or queried) `next` when it is a path on this host with an allowed scheme, else `fallback`."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return fallback
