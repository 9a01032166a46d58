"""The REST API under /api/v1: one NinjaAPI, with the routers the domains register (jingkai.registry).
The API imports the domains; the domains never import the API."""

from jingkai.api.base import api

__all__ = ["api"]
