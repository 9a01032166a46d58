"""Routers are registered here so that each domain keeps its endpoints in its own module."""

from jingkai.api.base import api
from jingkai.zones.api import router as zones_router

api.add_router("/zones", zones_router)
