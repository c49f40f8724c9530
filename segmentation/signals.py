"""What segmentation tells the apps above it, so it needs to know none of them."""

from django.dispatch import Signal

scheduled_run_stored = Signal()
"""Sent once a scheduled run's results are committed, with ``run``. Receivers run after the commit
and must not fail the run."""
