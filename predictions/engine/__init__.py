"""Pure maths of the predictions: features as of a cut-off and outcomes after it
(``history``), and the time-split training, evaluation and scoring (``forecast``). Only the
standard library, numpy, pandas and scikit-learn (imported where used)."""

from .forecast import MIN_AUC, Evaluation, Forecast, forecast
from .history import FEATURES, features_as_of, outcomes_after

__all__ = ["FEATURES", "MIN_AUC", "Evaluation", "Forecast", "features_as_of", "forecast", "outcomes_after"]
