"""On PostgreSQL, partition the assignment table by run: one partition per run, its rows moved
there (see segmentation/assignment_partitions.py). SQLite keeps one plain table."""

from django.db import migrations

TABLE = "segmentation_assignment"
SINGLE = "segmentation_assignment_single"
COLUMNS = "run_id, customer_id, segment_id, distance, placed, probability"


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(f"ALTER TABLE {TABLE} RENAME TO {SINGLE}")
    execute(f"ALTER TABLE {SINGLE} RENAME CONSTRAINT {TABLE}_pkey TO {SINGLE}_pkey")
    execute(f"CREATE TABLE {TABLE} (LIKE {SINGLE} INCLUDING DEFAULTS) PARTITION BY LIST (run_id)")
    execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (run_id, customer_id)")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT run_id FROM {SINGLE} ORDER BY run_id")
        run_ids = [run_id for (run_id,) in cursor.fetchall()]
    for run_id in run_ids:
        execute(f"CREATE TABLE {TABLE}_run_{int(run_id)} PARTITION OF {TABLE} FOR VALUES IN ({int(run_id)})")
    execute(f"INSERT INTO {TABLE} ({COLUMNS}) SELECT {COLUMNS} FROM {SINGLE}")
    execute(f"DROP TABLE {SINGLE}")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute(f"CREATE TABLE {SINGLE} (LIKE {TABLE} INCLUDING DEFAULTS)")
    execute(f"INSERT INTO {SINGLE} ({COLUMNS}) SELECT {COLUMNS} FROM {TABLE}")
    execute(f"DROP TABLE {TABLE}")
    execute(f"ALTER TABLE {SINGLE} RENAME TO {TABLE}")
    execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (run_id, customer_id)")


class Migration(migrations.Migration):
    dependencies = [
        ("segmentation", "0017_marketing_sees_outcomes"),
    ]

    operations = [migrations.RunPython(partition, unpartition)]
