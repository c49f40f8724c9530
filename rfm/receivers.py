"""Keeping RFM in step with the behaviour features it is computed from."""

from rfm.services import rfm_refresh


def rfm_refresh_with_behaviour(sender, **kwargs) -> None:
    """On ``customers.behaviour.behaviour_refreshed`` (sent inside the refresh's transaction, after
    every purchase import): recompute the scores in the same transaction, so they never disagree
    with the behaviour they come from."""
    rfm_refresh()
