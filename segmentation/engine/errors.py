"""Errors the engine raises on purpose; every message is plain language, fit to show a user."""


class EngineError(Exception):
    """Base class of every deliberate engine error."""


class InvalidParameterError(EngineError):
    """A configuration value, persona rule or stored scaler is not valid."""


class InvalidDataError(EngineError):
    """Customer data or a point to place lacks a column, has gaps or holds an unknown value."""


class NoCustomersError(EngineError):
    """There are no customers to segment."""


class TooFewCustomersError(EngineError):
    """There are fewer customers, or fewer distinct customers, than the segments asked for."""


class NoVarianceError(EngineError):
    """A chosen feature has the same value for every customer."""
