"""Rows written by the million point only at customers still in the book (customers.book_lock);
on PostgreSQL the ids are read only when customers were deleted since the writer read them."""

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from customers import book_lock
from customers.book_lock import deletions_so_far, still_in_book
from customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="deletions are counted on PostgreSQL"
)


@pytest.fixture
def book():
    return [CustomerFactory().pk for _ in range(4)]


@pytest.fixture
def ids_never_read(monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("every customer id was read")

    monkeypatch.setattr(book_lock, "read_ids", refuse)


def ids(customer_ids) -> np.ndarray:
    return np.array(customer_ids, dtype=np.int64)


def delete_nobody() -> None:
    """A statement that deletes no customer (Django's own deletes send none when nothing matches)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM customers_customer WHERE id = -1")


def test_a_deleted_customer_is_not_kept(book):
    noted = deletions_so_far()
    Customer.objects.filter(pk=book[1]).delete()

    with transaction.atomic():
        kept = still_in_book(ids(book), deletions_before_read=noted)

    assert kept.tolist() == [True, False, True, True]


def test_without_a_noted_count_every_id_is_checked(book):
    Customer.objects.filter(pk=book[0]).delete()

    with transaction.atomic():
        assert still_in_book(ids(book)).tolist() == [False, True, True, True]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_check_needs_the_writing_transaction():
    with pytest.raises(RuntimeError, match="in the transaction that writes the rows"):
        still_in_book(ids([1, 2]))


@on_postgresql
def test_with_nobody_deleted_since_the_read_no_id_is_read(book, ids_never_read):
    noted = deletions_so_far()
    CustomerFactory()
    Customer.objects.filter(pk=book[2]).update(age=70)

    with transaction.atomic():
        assert still_in_book(ids(book), deletions_before_read=noted).all()


@on_postgresql
def test_every_deleting_statement_moves_the_count(book):
    noted = deletions_so_far()
    Customer.objects.filter(pk=book[0]).delete()
    once = deletions_so_far()
    delete_nobody()

    assert noted < once < deletions_so_far()


@on_postgresql
def test_emptying_the_book_moves_the_count():
    noted = deletions_so_far()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE customers_customer CASCADE")

    assert deletions_so_far() > noted


@on_postgresql
def test_a_rolled_back_deletion_moves_the_count_and_the_ids_are_read(book):
    noted = deletions_so_far()
    with pytest.raises(RuntimeError, match="changed our mind"), transaction.atomic():
        Customer.objects.filter(pk=book[0]).delete()
        raise RuntimeError("changed our mind")

    assert deletions_so_far() != noted
    with transaction.atomic():
        assert still_in_book(ids(book), deletions_before_read=noted).all()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite counts no deletions")
def test_sqlite_counts_no_deletions():
    assert deletions_so_far() is None


@on_postgresql
def test_the_migration_adds_and_removes_the_counting():
    call_command("migrate", "customers", "0005", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('customers_customer_deletions')")
        assert cursor.fetchone() == (None,)

    call_command("migrate", "customers", verbosity=0)
    before = deletions_so_far()
    delete_nobody()
    assert deletions_so_far() == before + 1
