"""Predictions (#14): lapse risk and expected spend per customer, learnt from the book's own
purchase history with a time split. ``engine/`` is the pure maths (no Django); the app's models,
jobs and pages come next."""
