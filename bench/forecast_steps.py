"""The steps of the forecast benchmark that run in a process of their own.

bench/forecast_bench.py runs each step as ``python -m bench.forecast_steps STEP ...`` from the
repository root and reads the one JSON object the step prints as its last line.

Steps (Django settings and DATABASE_URL come from the environment):
    history             give every customer a purchase history in SQL, then VACUUM ANALYZE (not timed)
    command             time ``manage.py forecast --sync --json``, start-up included
    call                time ``forecast_execute`` in this process, step by step
"""

import time

from bench.common import Step, checkpoint, peak_mb, run_step_from_command_line, timed_manage_command

# Every customer's history, made in the database from its id (no randomness, nothing to ship):
# purchases every 7 to 59 days, 6 to 16 of them, the last one up to 19 days ago; one customer in
# four stopped coming 100 to 399 days ago (the lapsed, for the models to find). Amounts 5 to 204.
HISTORY_SQL = """
INSERT INTO customers_purchase
    (customer_id, purchase_id, line, purchased_at, amount, store, category, created_at, updated_at)
SELECT c.id, 'BENCH-' || c.id || '-' || g, 1,
       now() - make_interval(days => (p.stop + (g - 1) * p.gap)::int, mins => ((c.id * g) % 600)::int),
       5 + (c.id * 13 + g * 29) % 200, 'Bench Store', 'General', now(), now()
FROM customers_customer AS c
CROSS JOIN LATERAL (
    SELECT 7 + (c.id * 7919) % 53 AS gap,
           6 + (c.id * 104729) % 11 AS purchases,
           CASE WHEN c.id % 4 = 0 THEN 100 + (c.id * 31) % 300 ELSE (c.id * 17) % 20 END AS stop
) AS p
CROSS JOIN LATERAL generate_series(1, p.purchases) AS g
"""


def history() -> dict:
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL)
        cursor.execute("VACUUM ANALYZE customers_purchase")
        cursor.execute("SELECT count(*), count(DISTINCT customer_id) FROM customers_purchase")
        lines, customers = cursor.fetchone()
    return {"lines": lines, "customers": customers}


def command() -> dict:
    """The whole command a user runs, as a child process: start-up, training, scoring, exit."""
    return timed_manage_command("forecast", "--sync", "--json")


def call() -> dict:
    """``forecast_execute`` in this process; each progress report marks where a step starts."""
    import django

    django.setup()
    from django.db import connection

    from predictions import execution
    from predictions.models import Forecast
    from predictions.services import forecast_start

    connection.ensure_connection()
    checkpoint(connection.connection)
    forecast = forecast_start(started_by=None, enqueue=False)
    marks: list[tuple[float, str]] = []
    report = execution.job_report_progress

    def marking(model, job_id, percent, step):
        marks.append((time.perf_counter(), step))
        report(model, job_id, percent, step)

    execution.job_report_progress = marking
    before = peak_mb()
    start = time.perf_counter()
    execution.forecast_execute(forecast_id=forecast.pk)
    end = time.perf_counter()
    forecast = Forecast.objects.get(pk=forecast.pk)
    if not forecast.published:
        raise RuntimeError(f"The benchmark's forecast was not published: {forecast.reason or forecast.error}")
    edges = [(start, "Reading the purchase history"), *marks, (end, "")]
    steps = {step: later - moment for (moment, step), (later, _) in zip(edges, edges[1:], strict=False)}
    return {
        "seconds": end - start,
        "steps": steps,
        "peak_mb": peak_mb(),
        "before_mb": before,
        "scored": forecast.customers_scored,
        "auc": forecast.auc,
        "spend_mae": forecast.spend_mae,
        "baseline_mae": forecast.baseline_mae,
    }


STEPS: dict[str, Step] = {"history": (history, []), "command": (command, []), "call": (call, [])}

if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
