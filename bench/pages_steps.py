"""The steps of the portal pages benchmark that run in a process of their own.

bench/pages_bench.py runs each step as ``python -m bench.pages_steps STEP ...`` from the
repository root and reads the one JSON object the step prints as its last line.

Steps (Django settings and DATABASE_URL come from the environment):
    prepare SIZE SEED       create SIZE demo customers, run a segmentation (it becomes the
                            active one), VACUUM ANALYZE, create the benchmark's Marketing user
    time REQUESTS WARMUP    set the app up as the WSGI server does (import mallseg.wsgi), log
                            in with Django's test client and time every page, then capture
                            one more request of each with its SQL, and EXPLAIN ANALYZE the
                            slowest query of any page over its target
"""

import argparse
import base64
import gc
import importlib
import json
import math
import random
import statistics
import time
from dataclasses import dataclass

FEATURES = ["annual_income", "spending_score"]
USERNAME = "bench-marketing"
# Customers spread over the id range, at these fractions of it, for the customer page.
CUSTOMER_PAGE_SPREAD = (0.02, 0.13, 0.25, 0.37, 0.5, 0.62, 0.74, 0.86, 0.95, 0.999)
# A link to a customer page: one per row of the customer list and of a segment's members.
ROW_MARKER = '<td><a href="/customers/'
API_ROW_MARKER = '"external_id":'  # one per customer in an API list
ROWS_PER_PAGE = 50
TARGET_MS = 100
ORDER_SEED = 1  # the pages' order in each round of timed requests


def _setup_django() -> None:
    import django

    django.setup()


def _setup_wsgi() -> None:
    """Set the app up as gunicorn and runserver do: import mallseg.wsgi.

    The test client does not load it. Importing it builds the WSGI application, loads every
    view and calls gc.freeze(), so the long-lived objects (Django, numpy, pandas, scikit-learn)
    are out of the garbage collector's reach in the timed requests, as in production.
    """
    importlib.import_module("mallseg.wsgi")


# PREPARING


def prepare(size: int, seed: int) -> dict:
    """The data the pages show: SIZE customers and one succeeded, active run; then VACUUM ANALYZE.

    None of this is timed. The run is started and executed as the portal's worker would, but
    synchronously in this process; as the first succeeded run it becomes the active one.
    """
    _setup_django()
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from customers.roles import MARKETING_GROUP
    from customers.services import customers_seed_demo
    from segmentation.models import SegmentationRun
    from segmentation.services import segmentation_run_execute, segmentation_run_start

    added, _ = customers_seed_demo(count=size, seed=seed)
    started = segmentation_run_start(started_by=None, features=FEATURES, enqueue=False)
    segmentation_run_execute(run_id=started.pk)
    run = SegmentationRun.objects.get(pk=started.pk)
    if run.status != SegmentationRun.Status.SUCCEEDED or not run.is_active:
        outcome = f"{run.status} ({run.error or 'no error'}), active: {run.is_active}"
        raise RuntimeError(f"Run {run.pk} ended {outcome}")
    user = User.objects.create_user(USERNAME)  # no usable password: the test client logs it in
    user.groups.add(Group.objects.get(name=MARKETING_GROUP))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"added": added, "run_id": run.pk, "k": run.k}


# THE PAGES


@dataclass(frozen=True)
class Page:
    """A page to time: one URL, or several taken in turn, and what its content must show."""

    name: str
    urls: list[str]
    must_show: list[str]  # texts every response must contain (one list for all the URLs)
    rows: int | None = None  # customer rows the page must list, when it lists customers
    row_marker: str = ROW_MARKER
    pattern: str | None = None  # how the report names several URLs taken in turn

    def check(self, url: str, response) -> None:
        if response.status_code != 200:
            raise RuntimeError(f"{self.name}: GET {url} answered {response.status_code}")
        content = response.content.decode()
        missing = [text for text in self.must_show if text not in content]
        if missing:
            raise RuntimeError(f"{self.name}: GET {url} does not show {missing}")
        if self.rows is not None and (found := content.count(self.row_marker)) != self.rows:
            raise RuntimeError(f"{self.name}: GET {url} lists {found} customers, expected {self.rows}")


def pages() -> tuple[list[Page], dict]:
    """The pages, with URLs into the data prepare made, and the facts the report gives about them."""
    import django
    from django.db.models import Max, Min
    from django.utils.html import escape

    from customers.models import Customer
    from segmentation.models import Assignment, SegmentationRun

    run = SegmentationRun.objects.active()
    if run is None:
        raise RuntimeError("No active run: prepare first")
    segments = list(run.segments.order_by("number"))
    largest = max(segments, key=lambda segment: segment.size)
    bounds = Customer.objects.aggregate(low=Min("id"), high=Max("id"))
    count = Customer.objects.count()

    def customer_at(fraction: float) -> Customer:
        """The customer at this fraction of the book, in id order (an OFFSET, only while preparing)."""
        return Customer.objects.order_by("id")[min(count - 1, int(fraction * count))]

    deep_customer = customer_at(0.9)  # the list's page after the 900,000th customer of a million
    searched = customer_at(0.654321)
    members = Assignment.objects.filter(segment=largest).order_by("-customer_id")
    # The largest segment's member page after the member 1.5 pages from its end: a full page.
    deep_member = members.values_list("customer_id", flat=True)[ROWS_PER_PAGE * 3 // 2]
    spread = [customer_at(fraction) for fraction in CUSTOMER_PAGE_SPREAD]
    filtered = "gender=female&income_band=100k-plus&spending_band=high"

    name = escape(largest.name)  # as the templates show it
    page_list = [
        Page("Dashboard", ["/"], ["<h1>Dashboard</h1>", f"run {run.pk}</a>", name]),
        Page("Customer list", ["/customers/"], ["<h1>Customers</h1>", 'rel="next"'], rows=ROWS_PER_PAGE),
        Page(
            "Customer list, filtered",
            [f"/customers/?{filtered}"],
            ["<h1>Customers</h1>", 'rel="next"'],
            rows=ROWS_PER_PAGE,
        ),
        Page(
            "Customer list, deep page",
            [f"/customers/?after={deep_customer.pk}"],
            ['rel="prev"', 'rel="next"'],
            rows=ROWS_PER_PAGE,
        ),
        Page(
            "Customer list, search",
            [f"/customers/?q={searched.external_id}"],
            [f'<a href="/customers/{searched.pk}/">{searched.external_id}</a>'],
            rows=1,
        ),
        Page(
            "Segment page",
            [f"/segments/{largest.pk}/"],
            [f"{name}</h1>", 'rel="next"'],
            rows=ROWS_PER_PAGE,
        ),
        Page(
            "Segment page, deep member page",
            [f"/segments/{largest.pk}/?after={deep_member}"],
            [f"{name}</h1>", 'rel="prev"'],
            rows=ROWS_PER_PAGE,
        ),
        Page(
            "Customer page",
            [f"/customers/{customer.pk}/" for customer in spread],
            ["<h1>Customer ", f"clustered in run {run.pk}"],
            pattern="/customers/<id>/",
        ),
        Page("Run page", [f"/runs/{run.pk}/"], [f"<h1>Run {run.pk} ", 'class="badge">Active']),
        Page("Predict", ["/predict/?annual_income=88&spending_score=17"], ["This shopper falls into"]),
        *api_reads(
            run=run,
            largest=largest,
            smallest=min(segments, key=lambda segment: segment.size),
            deep_customer=deep_customer,
            deep_member=deep_member,
            spread=spread,
        ),
    ]
    facts = {
        "django": django.get_version(),
        "customers": count,
        "customer_ids": [bounds["low"], bounds["high"]],
        "run_id": run.pk,
        "k": run.k,
        "largest_segment": {"name": largest.name, "size": largest.size},
        "deep_customer_rank": int(0.9 * count),
        "customer_page_customers": len(spread),
    }
    return page_list, facts


def api_reads(*, run, largest, smallest, deep_customer, deep_member, spread) -> list[Page]:
    """The REST API's reads an integration makes most, on the same data (session-authenticated)."""
    from urllib.parse import urlencode

    def cursor_after(position: int) -> str:
        """DRF's cursor for the page after ``position`` (its encode_cursor: base64 of "p=<position>")."""
        return base64.b64encode(urlencode({"p": position}).encode()).decode()

    page_of_customers = {"rows": ROWS_PER_PAGE, "row_marker": API_ROW_MARKER}
    return [
        Page("API: customers", ["/api/v1/customers/"], ['"next":"http'], **page_of_customers),
        Page(
            "API: customers, deep cursor page",
            [f"/api/v1/customers/?{urlencode({'cursor': cursor_after(deep_customer.pk)})}"],
            ['"previous":"http', '"next":"http'],
            **page_of_customers,
        ),
        Page(
            "API: customers of the smallest segment",
            [f"/api/v1/customers/?segment={smallest.pk}"],
            ['"next":"http'],
            **page_of_customers,
        ),
        Page(
            "API: segment members, deep cursor page",
            [f"/api/v1/segments/{largest.pk}/members/?{urlencode({'cursor': cursor_after(deep_member)})}"],
            ['"previous":"http'],
            **page_of_customers,
        ),
        Page(
            "API: a customer's segment and campaigns",
            [f"/api/v1/customers/{customer.pk}/segment/" for customer in spread],
            [f'"run":{run.pk}', '"reason":"'],
            pattern="/api/v1/customers/<id>/segment/",
        ),
    ]


# TIMING


def time_pages(requests: int, warmup: int) -> dict:
    """Set the app up as production does, log in, warm every URL up, then time REQUESTS rounds.

    Django is set up, then mallseg.wsgi imported as the WSGI server would (every view loaded,
    then gc.freeze()), before any page is prepared or requested. Each of the REQUESTS rounds
    takes one request of each page.

    Each round takes the pages in a new, seeded random order: a busy moment on the machine, or a
    pause that comes back every so many requests (Python's full garbage collection), then falls
    on whichever page is running, not on the same page every round.

    Only ``client.get(url)`` is timed: Django's whole request handling (middleware, session and
    user, view, queries, template rendering) through the test client, no network. Each response
    is checked after its timing. Timed requests during which Python ran a full (generation 2)
    garbage collection are counted. One more request of each page then runs inside
    CaptureQueriesContext, for its queries, each timed by an execute wrapper.
    """
    _setup_django()
    _setup_wsgi()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    page_list, facts = pages()
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))

    for page in page_list:
        for url in page.urls:
            for _ in range(warmup):
                page.check(url, client.get(url))

    timings: dict[str, list[float]] = {page.name: [] for page in page_list}
    full_gc_requests = dict.fromkeys(timings, 0)
    full_collections = _count_full_collections()
    order = random.Random(ORDER_SEED)
    for index in range(requests):
        for page in order.sample(page_list, len(page_list)):
            url = page.urls[index % len(page.urls)]
            collections = full_collections[0]
            start = time.perf_counter()
            response = client.get(url)
            timings[page.name].append((time.perf_counter() - start) * 1000)
            full_gc_requests[page.name] += full_collections[0] > collections
            page.check(url, response)

    results = []
    for page in page_list:
        url = page.urls[0]
        query_ms: list[float] = []
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(_timed(query_ms)):
            page.check(url, client.get(url))
        sqls = [query["sql"] for query in captured.captured_queries]
        if len(sqls) != len(query_ms):
            raise RuntimeError(f"{page.name}: {len(sqls)} queries captured, {len(query_ms)} timed")
        queries = [{"sql": sql, "ms": ms} for sql, ms in zip(sqls, query_ms, strict=True)]
        slowest = max(queries, key=lambda query: query["ms"])
        ms = timings[page.name]
        result = {
            "name": page.name,
            "urls": page.urls,
            "pattern": page.pattern,
            "median_ms": statistics.median(ms),
            "p95_ms": percentile(ms, 95),
            "max_ms": max(ms),
            "requests": len(ms),
            "full_gc_requests": full_gc_requests[page.name],
            "queries": len(queries),
            "queries_ms": sum(query["ms"] for query in queries),
            "slowest_query_ms": slowest["ms"],
            "slowest_query": slowest["sql"],
        }
        if result["p95_ms"] >= TARGET_MS:
            result["explain"] = explain(slowest["sql"])
        results.append(result)
    return {"facts": facts, "pages": results}


def _count_full_collections() -> list[int]:
    """A one-item list that counts Python's full (generation 2) garbage collections from now on."""
    count = [0]

    def callback(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            count[0] += 1

    gc.callbacks.append(callback)
    return count


def _timed(query_ms: list[float]):
    """An execute wrapper that keeps each query's time in ms (CaptureQueriesContext keeps whole ms only)."""

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            query_ms.append((time.perf_counter() - start) * 1000)

    return wrapper


def percentile(values: list[float], percent: float) -> float:
    """The nearest-rank percentile: the smallest value with ``percent`` % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def explain(sql: str) -> str:
    """The plan of ``sql`` as it runs now: EXPLAIN (ANALYZE, BUFFERS)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


# COMMAND LINE


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("prepare")
    step.add_argument("size", type=int)
    step.add_argument("seed", type=int)
    step = steps.add_parser("time")
    step.add_argument("requests", type=int)
    step.add_argument("warmup", type=int)
    args = parser.parse_args()

    if args.step == "prepare":
        result = prepare(args.size, args.seed)
    else:
        result = time_pages(args.requests, args.warmup)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
