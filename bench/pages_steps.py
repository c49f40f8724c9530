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

import base64
import gc
import importlib
import math
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any

from bench.common import Step, run_step_from_command_line

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

    from accounts.roles import MARKETING_GROUP
    from customers.services import customers_seed_demo
    from segmentation.models import SegmentationRun
    from segmentation.services.execution import segmentation_run_execute
    from segmentation.services.runs import segmentation_run_start

    added = customers_seed_demo(count=size, seed=seed, purchases=False).added
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


@dataclass(frozen=True)
class Landmarks:
    """The rows of the data prepare made that the pages' URLs point at (Django model instances)."""

    run: Any  # the active SegmentationRun
    largest: Any  # its largest Segment, and its smallest
    smallest: Any
    customers: int
    customer_ids: list[int]  # the lowest and the highest
    deep_customer: Any  # the Customer at 90 % of the book, in id order
    searched: Any  # the Customer the search looks up
    deep_member: int  # the customer id the largest segment's deep member page starts after
    spread: list  # Customers across the id range (CUSTOMER_PAGE_SPREAD), for the customer page


def pages() -> tuple[list[Page], dict]:
    """The pages, with URLs into the data prepare made, and the facts the report gives about them."""
    landmarks = find_landmarks()
    return [*portal_pages(landmarks), *api_reads(landmarks)], _facts(landmarks)


def find_landmarks() -> Landmarks:
    """Look the landmarks up (not timed: the OFFSETs here are for preparing only)."""
    from django.db.models import Max, Min

    from customers.models import Customer
    from segmentation.models import SegmentationRun

    run = SegmentationRun.objects.active()
    if run is None:
        raise RuntimeError("No active run: prepare first")
    segments = list(run.segments.order_by("number"))
    largest = max(segments, key=lambda segment: segment.size)
    bounds = Customer.objects.aggregate(low=Min("id"), high=Max("id"))
    count = Customer.objects.count()
    return Landmarks(
        run=run,
        largest=largest,
        smallest=min(segments, key=lambda segment: segment.size),
        customers=count,
        customer_ids=[bounds["low"], bounds["high"]],
        deep_customer=_customer_at(0.9, count),  # the list's page after the 900,000th customer of a million
        searched=_customer_at(0.654321, count),
        deep_member=_deep_member(largest),
        spread=[_customer_at(fraction, count) for fraction in CUSTOMER_PAGE_SPREAD],
    )


def _customer_at(fraction: float, count: int):
    """The customer at this fraction of the ``count`` customers, in id order (an OFFSET)."""
    from customers.models import Customer

    return Customer.objects.order_by("id")[min(count - 1, int(fraction * count))]


def _deep_member(segment) -> int:
    """The segment's member page after the member 1.5 pages from its end: a full page."""
    from segmentation.models import Assignment

    members = Assignment.objects.filter(run_id=segment.run_id, segment=segment).order_by("-customer_id")
    return members.values_list("customer_id", flat=True)[ROWS_PER_PAGE * 3 // 2]


def _facts(landmarks: Landmarks) -> dict:
    """What the report says about the data the pages were timed on."""
    import django

    return {
        "django": django.get_version(),
        "customers": landmarks.customers,
        "customer_ids": landmarks.customer_ids,
        "run_id": landmarks.run.pk,
        "k": landmarks.run.k,
        "largest_segment": {"name": landmarks.largest.name, "size": landmarks.largest.size},
        "deep_customer_rank": int(0.9 * landmarks.customers),
        "customer_page_customers": len(landmarks.spread),
    }


def portal_pages(landmarks: Landmarks) -> list[Page]:
    """The portal's HTML pages, in the order the report lists them."""
    from django.utils.html import escape

    run, largest = landmarks.run, landmarks.largest
    name = escape(largest.name)  # as the templates show it
    return [
        Page("Dashboard", ["/"], ["<h1>Dashboard</h1>", f"run {run.pk}</a>", name]),
        *customer_list_pages(landmarks),
        Page(
            "Segment page",
            [f"/segments/{largest.pk}/"],
            [f"{name}</h1>", 'rel="next"'],
            rows=ROWS_PER_PAGE,
        ),
        Page(
            "Segment page, deep member page",
            [f"/segments/{largest.pk}/?after={landmarks.deep_member}"],
            [f"{name}</h1>", 'rel="prev"'],
            rows=ROWS_PER_PAGE,
        ),
        Page(
            "Customer page",
            [f"/customers/{customer.pk}/" for customer in landmarks.spread],
            ["<h1>Customer ", f"clustered in run {run.pk}"],
            pattern="/customers/<id>/",
        ),
        Page("Run page", [f"/runs/{run.pk}/"], [f"<h1>Run {run.pk} ", 'class="badge">Active']),
        Page("Predict", ["/predict/?annual_income=88&spending_score=17"], ["This shopper falls into"]),
    ]


def customer_list_pages(landmarks: Landmarks) -> list[Page]:
    """The customer list: its first page, filtered, a deep keyset page and a search."""
    filtered = "gender=female&income_band=100k-plus&spending_band=high"
    searched = landmarks.searched
    list_shown = ["<h1>Customers</h1>", 'rel="next"']
    return [
        Page("Customer list", ["/customers/"], list_shown, rows=ROWS_PER_PAGE),
        Page("Customer list, filtered", [f"/customers/?{filtered}"], list_shown, rows=ROWS_PER_PAGE),
        Page(
            "Customer list, deep page",
            [f"/customers/?after={landmarks.deep_customer.pk}"],
            ['rel="prev"', 'rel="next"'],
            rows=ROWS_PER_PAGE,
        ),
        Page(
            "Customer list, search",
            [f"/customers/?q={searched.external_id}"],
            [f'<a href="/customers/{searched.pk}/">{searched.external_id}</a>'],
            rows=1,
        ),
    ]


def api_reads(landmarks: Landmarks) -> list[Page]:
    """The REST API's reads an integration makes most, on the same data (session-authenticated)."""
    from urllib.parse import urlencode

    def cursor_after(position: int) -> str:
        """DRF's cursor for the page after ``position`` (its encode_cursor: base64 of "p=<position>")."""
        return base64.b64encode(urlencode({"p": position}).encode()).decode()

    deep_customers = urlencode({"cursor": cursor_after(landmarks.deep_customer.pk)})
    deep_members = urlencode({"cursor": cursor_after(landmarks.deep_member)})
    page_of_customers = {"rows": ROWS_PER_PAGE, "row_marker": API_ROW_MARKER}
    return [
        Page("API: customers", ["/api/v1/customers/"], ['"next":"http'], **page_of_customers),
        Page(
            "API: customers, deep cursor page",
            [f"/api/v1/customers/?{deep_customers}"],
            ['"previous":"http', '"next":"http'],
            **page_of_customers,
        ),
        Page(
            "API: customers of the smallest segment",
            [f"/api/v1/customers/?segment={landmarks.smallest.pk}"],
            ['"next":"http'],
            **page_of_customers,
        ),
        Page(
            "API: segment members, deep cursor page",
            [f"/api/v1/segments/{landmarks.largest.pk}/members/?{deep_members}"],
            ['"previous":"http'],
            **page_of_customers,
        ),
        Page(
            "API: a customer's segment and campaigns",
            [f"/api/v1/customers/{customer.pk}/segment/" for customer in landmarks.spread],
            [f'"run":{landmarks.run.pk}', '"reason":"'],
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
    page_list, facts = pages()
    client = _logged_in_client()
    _warm_up(client, page_list, warmup)
    timings, full_gc_requests = _time_rounds(client, page_list, requests)
    results = [
        _page_result(page, timings[page.name], full_gc_requests[page.name], _captured_queries(client, page))
        for page in page_list
    ]
    return {"facts": facts, "pages": results}


def _logged_in_client():
    """Django's test client, logged in as the benchmark's Marketing user."""
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    return client


def _warm_up(client, page_list: list[Page], warmup: int) -> None:
    """Request every URL of every page ``warmup`` times, untimed, checking each response."""
    for page in page_list:
        for url in page.urls:
            for _ in range(warmup):
                page.check(url, client.get(url))


def _time_rounds(
    client, page_list: list[Page], requests: int
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Each page's request times in ms over ``requests`` rounds, and how many of its timed requests
    a full garbage collection ran in.

    Each round takes one request of each page, in a new seeded order; a page with several URLs
    takes them in turn, one per round.
    """
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
    return timings, full_gc_requests


def _captured_queries(client, page: Page) -> list[dict]:
    """The SQL and time in ms of each query of one more request of the page's first URL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = page.urls[0]
    query_ms: list[float] = []
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(_timed(query_ms)):
        page.check(url, client.get(url))
    sqls = [query["sql"] for query in captured.captured_queries]
    if len(sqls) != len(query_ms):
        raise RuntimeError(f"{page.name}: {len(sqls)} queries captured, {len(query_ms)} timed")
    return [{"sql": sql, "ms": ms} for sql, ms in zip(sqls, query_ms, strict=True)]


def _page_result(page: Page, ms: list[float], full_gc_requests: int, queries: list[dict]) -> dict:
    """One page's figures, with the plan of its slowest query when its p95 is over the target."""
    slowest = max(queries, key=lambda query: query["ms"])
    result = {
        "name": page.name,
        "urls": page.urls,
        "pattern": page.pattern,
        "median_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms),
        "requests": len(ms),
        "full_gc_requests": full_gc_requests,
        "queries": len(queries),
        "queries_ms": sum(query["ms"] for query in queries),
        "slowest_query_ms": slowest["ms"],
        "slowest_query": slowest["sql"],
    }
    if result["p95_ms"] >= TARGET_MS:
        result["explain"] = explain(slowest["sql"])
    return result


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


STEPS: dict[str, Step] = {
    "prepare": (prepare, [("size", int), ("seed", int)]),
    "time": (time_pages, [("requests", int), ("warmup", int)]),
}


if __name__ == "__main__":
    run_step_from_command_line(__doc__, STEPS)
