"""Industry chains (产业链): catalogues, placing enterprises on links, gaps per zone and target companies.
Pure Python: no Django."""

from .assign import Assigner, Enterprise, Match, assign_all, report
from .catalogue import Catalogue, CatalogueError, Chain, Link, load, parse, shipped
from .gaps import ChainGap, Firm, LinkGap, chain_gaps
from .targets import ListEntry, Target, rank

__all__ = ["Assigner", "Catalogue", "CatalogueError", "Chain", "ChainGap", "Enterprise", "Firm", "Link", "LinkGap",
           "ListEntry", "Match", "Target", "assign_all", "chain_gaps", "load", "parse", "rank", "report", "shipped"]
