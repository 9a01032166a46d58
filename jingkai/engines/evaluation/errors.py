"""Errors of the evaluation engine; messages are for users, in Chinese."""


class EvaluationError(ValueError):
    """A methodology or data problem that stops an evaluation."""


class MethodologyError(EvaluationError):
    """A methodology file that cannot be used."""
