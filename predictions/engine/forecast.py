"""Lapse risk and expected spend with a time split, evaluated honestly before being published.

With H the horizon (days) and T the as-of moment:
- train on features as of T - 2H and what happened in [T - 2H, T - H);
- evaluate on features as of T - H and what happened in [T - H, T): AUC and a calibration curve
  for lapse risk, mean absolute error for spend against the naive baseline (the last H days
  repeat);
- publish only when the history covers at least MIN_HISTORY_HORIZONS horizons, both outcomes
  vary, the lapse model reaches MIN_AUC and the spend model beats the baseline; then refit on the
  evaluation window and score every customer as of T.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .history import FEATURES, features_as_of, outcomes_after

MIN_AUC = 0.6
MIN_HISTORY_HORIZONS = 3
MIN_CUSTOMERS = 50
CALIBRATION_BINS = 10


@dataclass(frozen=True)
class Evaluation:
    """How the models did on the held-out window. ``calibration``: (mean predicted risk, share
    that lapsed) per bin of customers by predicted risk."""

    customers: int
    lapse_rate: float
    auc: float
    calibration: tuple[tuple[float, float], ...]
    spend_mae: float
    baseline_mae: float


@dataclass(frozen=True)
class Forecast:
    """``scores`` (index customer_id; ``lapse_risk``, ``expected_spend``) only when published;
    ``reason`` says why it was or was not."""

    published: bool
    reason: str
    evaluation: Evaluation | None
    scores: pd.DataFrame | None


def forecast(
    lines: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    horizon_days: int,
    seed: int = 0,
    on_step: Callable[[str], None] = lambda step: None,
) -> Forecast:
    """Train, evaluate and (when it earns it) score lapse risk and spend over the next horizon.
    ``on_step`` hears each step's name as it starts."""
    refusal = _history_refusal(lines, as_of=as_of, horizon_days=horizon_days)
    if refusal:
        return Forecast(published=False, reason=refusal, evaluation=None, scores=None)
    horizon = pd.Timedelta(days=horizon_days)
    on_step("Describing customers as of each cut-off")
    train = _examples(lines, as_of - 2 * horizon, horizon_days)
    test = _examples(lines, as_of - horizon, horizon_days)
    refusal = _outcome_refusal(train, test)
    if refusal:
        return Forecast(published=False, reason=refusal, evaluation=None, scores=None)
    on_step("Training, then testing on the held-out window")
    evaluation = _evaluate(train, test, lines=lines, as_of=as_of, horizon_days=horizon_days, seed=seed)
    refusal = _quality_refusal(evaluation)
    if refusal:
        return Forecast(published=False, reason=refusal, evaluation=evaluation, scores=None)
    on_step("Scoring every customer")
    scores = _score(test, features_as_of(lines, as_of), seed=seed)
    reason = (
        f"Both models beat the bar: lapse AUC {evaluation.auc:.2f} (at least {MIN_AUC}), spend error "
        f"{evaluation.spend_mae:.2f} against {evaluation.baseline_mae:.2f} for the last period repeating."
    )
    return Forecast(published=True, reason=reason, evaluation=evaluation, scores=scores)


def _examples(lines: pd.DataFrame, cutoff: pd.Timestamp, horizon_days: int) -> pd.DataFrame:
    features = features_as_of(lines, cutoff)
    return features.join(outcomes_after(lines, cutoff, horizon_days, features.index))


def _history_refusal(lines: pd.DataFrame, *, as_of: pd.Timestamp, horizon_days: int) -> str:
    needed = MIN_HISTORY_HORIZONS * horizon_days
    if lines.empty:
        return "No purchase history: nothing to learn from."
    covered = (as_of - lines["purchased_at"].min()).days
    if covered < needed:
        return (
            f"The history covers {covered} days; {needed} are needed ({MIN_HISTORY_HORIZONS} horizons of "
            f"{horizon_days} days: one to learn from, one to test on, and what comes before them)."
        )
    return ""


def _outcome_refusal(train: pd.DataFrame, test: pd.DataFrame) -> str:
    for name, examples in (("training", train), ("evaluation", test)):
        if len(examples) < MIN_CUSTOMERS:
            return (
                f"Only {len(examples)} customers have history before the {name} window; "
                f"{MIN_CUSTOMERS} are needed."
            )
        if examples["lapsed"].nunique() < 2:
            kind = "lapsed" if examples["lapsed"].all() else "bought again"
            return f"Every customer {kind} in the {name} window: there is nothing to tell apart."
    return ""


def _quality_refusal(evaluation: Evaluation) -> str:
    if evaluation.auc < MIN_AUC:
        return f"Not published: lapse AUC {evaluation.auc:.2f} on the held-out window is below {MIN_AUC}."
    if evaluation.spend_mae >= evaluation.baseline_mae:
        return (
            f"Not published: the spend model's error {evaluation.spend_mae:.2f} does not beat "
            f"{evaluation.baseline_mae:.2f} for the last period repeating."
        )
    return ""


def _evaluate(
    train: pd.DataFrame,
    test: pd.DataFrame,
    *,
    lines: pd.DataFrame,
    as_of: pd.Timestamp,
    horizon_days: int,
    seed: int,
) -> Evaluation:
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import mean_absolute_error, roc_auc_score

    risk, spend = _fit_and_predict(train, test[list(FEATURES)], seed=seed)
    observed, predicted = calibration_curve(
        test["lapsed"], risk, n_bins=CALIBRATION_BINS, strategy="quantile"
    )
    last_period = _spend_before(lines, as_of - pd.Timedelta(days=horizon_days), horizon_days, test.index)
    return Evaluation(
        customers=len(test),
        lapse_rate=float(test["lapsed"].mean()),
        auc=float(roc_auc_score(test["lapsed"], risk)),
        calibration=tuple((float(p), float(o)) for p, o in zip(predicted, observed, strict=True)),
        spend_mae=float(mean_absolute_error(test["spend"], spend)),
        baseline_mae=float(mean_absolute_error(test["spend"], last_period)),
    )


def _score(examples: pd.DataFrame, now: pd.DataFrame, *, seed: int) -> pd.DataFrame:
    risk, spend = _fit_and_predict(examples, now[list(FEATURES)], seed=seed)
    return pd.DataFrame({"lapse_risk": risk, "expected_spend": spend}, index=now.index)


def _fit_and_predict(
    examples: pd.DataFrame, features: pd.DataFrame, *, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient boosting (scikit-learn's histogram-based, which takes missing gaps as they are):
    the probability of lapsing, and the spend, never below zero."""
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    known = examples[list(FEATURES)]
    classifier = HistGradientBoostingClassifier(random_state=seed).fit(known, examples["lapsed"])
    regressor = HistGradientBoostingRegressor(random_state=seed).fit(known, examples["spend"])
    lapsed_column = list(classifier.classes_).index(True)
    return classifier.predict_proba(features)[:, lapsed_column], np.maximum(regressor.predict(features), 0.0)


def _spend_before(
    lines: pd.DataFrame, cutoff: pd.Timestamp, horizon_days: int, customers: pd.Index
) -> pd.Series:
    """Each customer's net spend in the horizon before ``cutoff``: the naive forecast."""
    start = cutoff - pd.Timedelta(days=horizon_days)
    return outcomes_after(lines, start, horizon_days, customers)["spend"]
