"""Portal pages benchmark: server-side time of the main pages against a million-customer database.

Run from the repository root:

    python bench/pages_bench.py [--customers 1000000] [--requests 100] [--warmup 5] [--no-readme]
                                [--keep-database]

On a fresh, migrated PostgreSQL database: seed demo customers (seed 1), run one segmentation
(it becomes the active run), VACUUM ANALYZE and create a Marketing user (see pages_steps.py,
not timed). Then a child process with production-like settings sets the app up as gunicorn
and runserver do (it imports mallseg.wsgi, which loads every view and calls gc.freeze()),
logs that user in with Django's test client, warms every URL up, and times the dashboard, the
customer list (plain, filtered, a deep keyset page, a search), the largest segment's page
(first and a deep member page), customer pages, the run page, the predict page and the REST
API's main reads (customer lists by cursor and by segment, a deep member page, a customer's
segment and campaigns): median, p95 and max per page, and the number of SQL queries. Target:
p95 under 100 ms for each page.
The figures are printed and written into bench/README.md between the pages-bench markers; for
a page over the target, the plan of its slowest query (EXPLAIN ANALYZE) is printed and saved
in bench/out/. PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgresql://postgres@127.0.0.1:5432); the bench database is dropped at the end unless
--keep-database asks to keep it for a closer look.
"""

import argparse
import functools
import os
from dataclasses import dataclass

import common
from common import OUT_DIR, README, ROOT

README_SECTION = common.ReadmeSection("pages-bench", heading="## Portal pages")
SEED = 1
BENCH_DATABASE = "mallseg_bench_pages"
MILLION = 1_000_000
TARGET_MS = 100  # p95 of every page, server side
EXPLAIN_FILE = OUT_DIR / "pages-explain.txt"


# CHILD PROCESSES


run_step = functools.partial(common.run_step, "bench.pages_steps")


def child_environment(database_url: str) -> dict[str, str]:
    """Production-like settings on the bench database, reachable as the test client's host over HTTP.

    DEBUG stays off; the test client speaks plain HTTP to "testserver", so the HTTPS redirect is
    off and that host is allowed, as a TLS-terminating proxy and ALLOWED_HOSTS would have it.
    """
    return common.child_environment(
        database_url, SECURE_SSL_REDIRECT="false", ALLOWED_HOSTS="testserver,localhost"
    )


# MEASUREMENTS


@dataclass(frozen=True)
class PageResult:
    """The figures for one page."""

    name: str
    urls: list[str]
    pattern: str | None  # how to name the URLs when there are several
    median_ms: float
    p95_ms: float
    max_ms: float
    requests: int
    full_gc_requests: int  # timed requests during which Python ran a full garbage collection
    queries: int  # SQL queries of one request, session and user included
    queries_ms: float  # their time together, in that one request
    slowest_query_ms: float
    slowest_query: str
    explain: str | None  # the slowest query's plan, for a page over the target

    @property
    def passes(self) -> bool:
        return self.p95_ms < TARGET_MS

    def verdict(self) -> str:
        description = f"{self.name}, p95 under {TARGET_MS} ms"
        return common.verdict(description, self.p95_ms, TARGET_MS, " ms", passes=self.passes)


@dataclass(frozen=True)
class Measurement:
    facts: dict  # the data: customers, the active run, the largest segment
    pages: list[PageResult]
    load_average: float  # the machine's 1-minute load average as the timing started


def measure(size: int, requests: int, warmup: int, keep_database: bool) -> Measurement:
    """Prepare a fresh database, then time every page in a child process."""
    with common.postgres_database(BENCH_DATABASE, keep=keep_database) as url:
        environment = child_environment(url)
        print(f"Preparing {size:,} customers and a segmentation run (not timed)", flush=True)
        common.check_seeded(run_step("prepare", str(size), str(SEED), environment=environment), size)
        print(f"Timing the pages: {warmup} warm-up and {requests} timed requests each", flush=True)
        load_average = os.getloadavg()[0]
        timed = run_step("time", str(requests), str(warmup), environment=environment)
    fields = PageResult.__dataclass_fields__
    pages = [PageResult(**{key: page.get(key) for key in fields}) for page in timed["pages"]]
    return Measurement(facts=timed["facts"], pages=pages, load_average=load_average)


# REPORT


def url_label(page: PageResult) -> str:
    """The page's URL, or for pages taken in turn the pattern and how many there were."""
    if len(page.urls) == 1:
        return f"`{page.urls[0]}`"
    if page.pattern:
        return f"`{page.pattern}`, {len(page.urls)} customers in turn"
    return ", ".join(f"`{url}`" for url in page.urls)


def results_table(measurement: Measurement) -> str:
    header = (
        "| Page | URL | Median (ms) | p95 (ms) | Max (ms) | With a full GC | SQL queries "
        "| Their time (ms) | Slowest query (ms) |\n"
        "|---|---|--:|--:|--:|--:|--:|--:|--:|\n"
    )
    lines = [
        f"| {p.name} | {url_label(p)} | {p.median_ms:.1f} | {p.p95_ms:.1f} | {p.max_ms:.1f} "
        f"| {p.full_gc_requests} | {p.queries} | {p.queries_ms:.1f} | {p.slowest_query_ms:.1f} |"
        for p in measurement.pages
    ]
    return header + "\n".join(lines) + "\n"


def data_description(facts: dict) -> str:
    largest = facts["largest_segment"]
    low, high = facts["customer_ids"]
    return (
        f"{facts['customers']:,} customers (ids {low:,} to {high:,}); active run {facts['run_id']} "
        f"with K={facts['k']}; largest segment \"{largest['name']}\", {largest['size']:,} customers"
    )


def figures(measurement: Measurement) -> str:
    return results_table(measurement) + "\n" + "".join(f"- {p.verdict()}\n" for p in measurement.pages)


def report_section(measurement: Measurement, requests: int, warmup: int) -> str:
    facts = measurement.facts
    machine = common.machine_description(
        [f"PostgreSQL {common.postgres_version()}", f"Django {facts['django']}"]
    )
    conditions = f"{requests} timed requests per page after {warmup} warm-up requests per URL"
    return (
        f"{common.measured_on(conditions, machine)} The machine's 1-minute load average as the timing "
        f"started: {measurement.load_average:.1f}. Data: {data_description(facts)}.\n\n"
        + figures(measurement)
    )


def explanations(measurement: Measurement) -> str:
    """The slowest query and its plan for each page over the target ('' when none is)."""
    return "".join(
        f"== {p.name} ({url_label(p)}): p95 {p.p95_ms:.1f} ms; {p.full_gc_requests} of its timed requests "
        f"ran a full garbage collection; slowest query {p.slowest_query_ms:.1f} ms\n"
        f"{p.slowest_query}\n\n{p.explain}\n\n"
        for p in measurement.pages
        if not p.passes
    )


# COMMAND LINE


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time the portal's main pages, server side, against a large PostgreSQL database."
    )
    parser.add_argument("--customers", type=int, default=MILLION)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per URL first")
    parser.add_argument("--no-readme", action="store_true", help="print the figures only")
    parser.add_argument("--keep-database", action="store_true", help=f"do not drop {BENCH_DATABASE}")
    args = parser.parse_args()

    measurement = measure(args.customers, args.requests, args.warmup, args.keep_database)
    print(f"\nData: {data_description(measurement.facts)}.\n\n" + figures(measurement))
    if slow := explanations(measurement):
        EXPLAIN_FILE.parent.mkdir(parents=True, exist_ok=True)
        EXPLAIN_FILE.write_text(slow)
        print(f"Pages over the target, their slowest query and its plan:\n\n{slow}", end="")
        print(f"(also in {EXPLAIN_FILE.relative_to(ROOT)})")
    if not args.no_readme:
        README_SECTION.write(report_section(measurement, args.requests, args.warmup))
        print(f"Wrote the figures into {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
