"""What the customer book tells other apps, so it needs to know none of them."""

from django.dispatch import Signal

book_imported = Signal()
"""Sent once an import's rows are committed (customers or purchases), with ``report``: the
ImportReport. Receivers run after the commit and must not fail the import."""
