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
    "driver_error",
    [
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.ConnectionFailure("connection failure"),
        psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
    ],
    ids=["server shut the session down", "connection exception class", "libpq lost the server"],
)
def test_the_drivers_word_that_the_connection_was_lost_is_taken(driver_error):
    """Even when the connection works again: a transaction that ended on the error reconnects."""
    connection.ensure_connection()

    assert connection_lost(_raised_by_the_driver(driver_error))
    assert connection.connection is None  # closed: the next query opens a fresh one


@pytest.mark.parametrize(
    "driver_error",
    [
        psycopg.errors.UniqueViolation("duplicate key value violates unique constraint"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        sqlite3.OperationalError("database is locked"),
    ],
    ids=["a constraint", "a timeout", "SQLite's lock"],
)
def test_other_database_errors_on_a_working_connection_are_not_a_lost_connection(driver_error):
    connection.ensure_connection()
    assert not connection_lost(_raised_by_the_driver(driver_error))
    assert connection.connection is not None
