"""Composite evaluation of zones (综合发展水平考核评价): a pure-Python, vectorised engine.

denominate → impute → screen → treat → normalise → aggregate → bonus → rank, driven by a
methodology file (methodologies/*.yaml); analyses on top: diagnosis, what-if, Monte Carlo
uncertainty and sensitivity, target path. No Django import here.
"""

from .analysis import diagnose, target_path, what_if
from .errors import EvaluationError, MethodologyError
from .methodology import Methodology, available, from_coinr, load, parse
from .pipeline import Inputs, Result, evaluate, prepare, run
from .uncertainty import ASSUMPTIONS, monte_carlo

# The API the Django side uses; the other modules are internal.
__all__ = [
    "EvaluationError", "MethodologyError", "Methodology", "available", "from_coinr", "load", "parse",
    "Inputs", "Result", "evaluate", "prepare", "run",
    "diagnose", "target_path", "what_if", "ASSUMPTIONS", "monte_carlo",
]
