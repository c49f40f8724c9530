"""Telling a lost database connection from any other database error, where a job failed."""

import sqlite3

import psycopg
import pytest
from django.db import DatabaseError, connection

from core.jobs.lifecycle import connection_lost

# Outside a transaction, as a worker's job is.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _raised_by_the_driver(driver_error: Exception) -> DatabaseError:
    """``driver_error`` as Django raises it: its own error, the driver's as its cause."""
    error = DatabaseError(*driver_error.args)
    error.__cause__ = driver_error
    return error


@pytest.mark.parametrize(
    ("driver_error", "lost"),
    [
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
        (psycopg.errors.ConnectionFailure("connection failure"), True),
        (psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"), True),
        (psycopg.errors.UniqueViolation("duplicate key value violates unique constraint"), False),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
        (sqlite3.OperationalError("database is locked"), False),
    ],
    ids=[
        "server shut the session down",
        "connection exception class",
        "libpq lost the server",
        "a constraint",
        "a timeout",
        "SQLite's lock",
    ],
)
def test_the_drivers_error_says_whether_the_connection_was_lost(driver_error, lost):
    """Asked of the error, since the connection may work again by then: a transaction that ended
    on the error has reconnected. A lost one is closed, so the next query opens a fresh one."""
    connection.ensure_connection()

    assert connection_lost(_raised_by_the_driver(driver_error)) is lost
    assert (connection.connection is None) is lost
