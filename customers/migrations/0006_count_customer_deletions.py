"""On PostgreSQL, count every statement that deletes customers (see customers/book_lock.py): a
statement trigger on the customer table draws the next number of a sequence. SQLite counts nothing."""

from django.db import migrations

SEQUENCE = "customers_customer_deletions"
FUNCTION = "customers_customer_count_deletions"
TRIGGER = "customers_customer_deletions_counted"


def count_deletions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE SEQUENCE {SEQUENCE}")
    schema_editor.execute(
        f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} AFTER DELETE OR TRUNCATE ON customers_customer "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def stop_counting(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER {TRIGGER} ON customers_customer")
    schema_editor.execute(f"DROP FUNCTION {FUNCTION}()")
    schema_editor.execute(f"DROP SEQUENCE {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_import_kind_outcomes")]

    operations = [migrations.RunPython(count_deletions, stop_counting)]
