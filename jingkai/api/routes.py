"""Routers are registered here so that each domain keeps its endpoints in its own module."""

from jingkai.api.base import api
from jingkai.api.me import router as me_router
from jingkai.enterprises.api import router as enterprises_router
from jingkai.enterprises.api import years_router as enterprise_years_router
from jingkai.zones.api import indicator_values_router, indicators_router
from jingkai.zones.api import router as zones_router

api.add_router("/me", me_router)
api.add_router("/zones", zones_router)
api.add_router("/indicators", indicators_router)
api.add_router("/indicator-values", indicator_values_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/enterprise-years", enterprise_years_router)
