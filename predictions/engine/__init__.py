"""Pure maths of the predictions: features as of a cut-off and outcomes after it
(``history``); the time-split training, evaluation and scoring of lapse risk and spend
(``forecast``); a new member's likely segment (``newcomers``). Only the standard library,
numpy, pandas and scikit-learn (imported where used)."""

from .forecast import MIN_AUC, Evaluation, Forecast, forecast
from .history import FEATURES, features_as_of, outcomes_after
from .newcomers import NewcomerModel, NotEnoughToLearnError, newcomer_model, newcomer_segment

__all__ = [
    "FEATURES",
    "MIN_AUC",
    "Evaluation",
    "Forecast",
    "NewcomerModel",
    "NotEnoughToLearnError",
    "features_as_of",
    "forecast",
    "newcomer_model",
    "newcomer_segment",
    "outcomes_after",
]
