"""Confirmation before an irreversible action (发布 a bulletin, 确认 a progress report, 批量审核): the form's first
POST shows what will happen — a preview of what is published or confirmed — and writes nothing; the same POST
sent again from that page with `confirmed` acts. One page (`web/confirm.html`) and one form partial
(`web/_confirm_form.html`, also used by pages that show their own preview) for every app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Confirmation:
    title: str  # 确认发布通报
    message: str  # what the action does, and that it cannot be undone
    action: str  # the URL the confirmation posts to (the action's own)
    button: str  # 确认发布
    cancel: str  # where 取消 leads
    facts: Sequence[tuple[str, str]] = ()  # (label, value): what will be published or confirmed
    links: Sequence[tuple[str, str]] = ()  # (label, url): the draft document, an attachment
    fields: Sequence[tuple[str, str]] = ()  # the first POST's fields, posted again

    @property
    def hidden(self) -> list[tuple[str, str]]:
        """The fields the confirmation posts: the first POST's, and `confirmed` (unless they carry their own)."""
        fields = list(self.fields)
        return fields if any(name == CONFIRMED for name, _ in fields) else [*fields, (CONFIRMED, "1")]


def is_confirmed(request: HttpRequest) -> bool:
    return CONFIRMED in request.POST


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    return render(request, "web/confirm.html", {"confirmation": confirmation})
