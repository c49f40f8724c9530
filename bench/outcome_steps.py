"""The steps of the campaign outcome benchmark that run in a process of their own.

bench/outcome_bench.py runs each step as ``python -m bench.outcome_steps STEP ...`` from the
repository root and reads the one JSON object the step prints as its last line.

Steps (Django settings and DATABASE_URL come from the environment):
    prepare SENDS PATH  segment the customers (the active run), write an outcome file of SENDS
                        rows to PATH (ten playbook campaigns, three in ten held back), create the
                        benchmark's Marketing user (not timed)
    call PATH           time ``outcomes_import`` in this process, part by part, into an empty table;
                        then empty the table again
    command PATH        time ``manage.py import_outcomes PATH``, start-up included
    pages REQUESTS      time the pages that read outcomes, as the WSGI server serves them: the first
                        request (the cache empty), then REQUESTS more after two untimed ones
"""

import io
import statistics
import time

import numpy as np
import pandas as pd

from bench.common import Step, checkpoint, peak_mb, run_step_from_command_line, timed_manage_command

USERNAME = "bench-marketing"
CAMPAIGNS = 10
HELD_BACK_SHARE = 0.3
SEED = 1
BOOK_CHECKS = "Checking customers, campaigns and dates"  # the import's progress steps
WRITING = "Writing outcomes"


def _setup() -> None:
    import django

    django.setup()


def prepare(sends: int, path: str) -> dict:
    _setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection

    from accounts.roles import MARKETING_GROUP
    from customers.models import Customer
    from segmentation.models import Campaign

    call_command("segment", "--sync", "--json", stdout=io.StringIO())
    external_ids = np.array(Customer.objects.order_by("pk").values_list("external_id", flat=True))
    titles = list(Campaign.objects.order_by("pk").values_list("title", flat=True)[:CAMPAIGNS])
    _outcome_file(external_ids, titles, sends).to_csv(path, index=False)
    user = User.objects.create_user(USERNAME)
    user.groups.add(Group.objects.get(name=MARKETING_GROUP))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"rows": sends, "campaigns": len(titles)}


def _outcome_file(external_ids: np.ndarray, titles: list[str], sends: int) -> pd.DataFrame:
    """``sends`` rows spread over the campaigns, each campaign sent once to distinct customers."""
    rng = np.random.default_rng(SEED)
    per_campaign = sends // len(titles)
    frames = []
    for number, title in enumerate(titles):
        held_back = rng.random(per_campaign) < HELD_BACK_SHARE
        responded = rng.random(per_campaign) < np.where(held_back, 0.06, 0.10 + number / 100)
        frames.append(
            pd.DataFrame(
                {
                    "CustomerID": rng.choice(external_ids, per_campaign, replace=False),
                    "Campaign": title,
                    "SentDate": f"2026-{1 + number:02d}-15",
                    "Responded": np.where(responded, "yes", "no"),
                    "Revenue": np.where(responded, rng.gamma(2.0, 20.0, per_campaign).round(2), 0),
                    "Control": np.where(held_back, "yes", "no"),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def call(path: str) -> dict:
    """``outcomes_import`` on an empty table; each progress report marks where a part starts."""
    _setup()
    from django.db import connection

    from segmentation.models import CampaignOutcome
    from segmentation.outcomes.importing import outcomes_import

    connection.ensure_connection()
    checkpoint(connection.connection)
    marks: list[tuple[float, str]] = []
    before = peak_mb()
    start = time.perf_counter()
    with open(path, "rb") as file:
        report = outcomes_import(
            file=file,
            file_name="outcomes.csv",
            on_progress=lambda percent, step: marks.append((time.perf_counter(), step)),
        )
    end = time.perf_counter()
    if report.rejected or report.added != report.rows_read:
        raise RuntimeError(f"The import did not add every row: {report.summary()}")
    at = {step: moment for moment, step in marks}
    checking, writing = at[BOOK_CHECKS], at[WRITING]
    parts = {"read and check rows": checking - start, "check against the book": writing - checking}
    parts["write and commit"] = end - writing
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {CampaignOutcome._meta.db_table}")
    return {
        "seconds": end - start,
        "peak_mb": peak_mb(),
        "before_mb": before,
        "parts": parts,
        "added": report.added,
    }


def command(path: str) -> dict:
    """The whole command a user runs, as a child process."""
    return timed_manage_command("import_outcomes", path, prints_json=False)


def pages(requests: int) -> dict:
    """Per page: the first request, with the cache empty (the page groups every outcome), then the
    median and slowest of ``requests`` requests after two more (what users see until outcomes change)."""
    import importlib

    importlib.import_module("mallseg.wsgi")  # as gunicorn serves: every view loaded, gc frozen
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client

    from customers.models import Customer
    from segmentation.models import Campaign, Persona, SegmentationRun

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    run = SegmentationRun.objects.active()
    campaign = Campaign.objects.order_by("pk").first()
    customer = Customer.objects.filter(campaign_outcomes__isnull=False).order_by("pk").first()
    urls = {
        "Playbook": "/playbook/",
        "Campaign page": f"/campaigns/{campaign.pk}/",
        "Persona page": f"/personas/{Persona.objects.get(name='Premium Shoppers').pk}/",
        "Dashboard": "/",
        "Segment page": f"/segments/{run.segments.order_by('-size').first().pk}/",
        "Customer page": f"/customers/{customer.pk}/",
        "API campaign results": f"/api/v1/campaigns/{campaign.pk}/results/",
    }
    timings = {}
    for name, url in urls.items():
        cache.clear()
        seconds = []
        for _ in range(requests + 2):
            start = time.perf_counter()
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            seconds.append(time.perf_counter() - start)
        timed = seconds[2:]
        timings[name] = {
            "url": url,
            "first_ms": seconds[0] * 1000,
            "median_ms": statistics.median(timed) * 1000,
            "max_ms": max(timed) * 1000,
        }
    return timings


STEPS: dict[str, Step] = {
    "prepare": (prepare, [("sends", int), ("path", str)]),
    "call": (call, [("path", str)]),
    "command": (command, [("path", str)]),
    "pages": (pages, [("requests", int)]),
}

if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
