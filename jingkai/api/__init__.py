from jingkai.api.base import api

__all__ = ["api"]
