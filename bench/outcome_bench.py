"""Campaign outcomes (#14) at a million customers: importing a file of a million sends, and the
pages that read them.

Run from the repository root:

    python bench/outcome_bench.py [--customers 1000000] [--sends 1000000] [--requests 10] [--no-readme]

On a fresh, migrated PostgreSQL database with demo customers (seed 1), segmented (the active run),
an outcome file of SENDS rows is written (bench/outcome_steps.py: ten playbook campaigns, each
sent once to distinct customers, three in ten held back). Then, each in a child process:
``outcomes_import`` in-process into an empty table, part by part; the whole command a user runs,
``manage.py import_outcomes PATH`` (start-up included), into an empty table, and again, when every
send is already stored; and the pages that read outcomes (playbook, campaign, persona, dashboard,
segment, customer, the API's campaign results), as the WSGI server serves them. Targets: the
import command within 5 minutes and 4 GB, every page within 1 s (its first request, the
cache empty, and its median after).
"""

import argparse

import common

README_SECTION = common.ReadmeSection("outcome-bench", heading="## Campaign outcomes: import and pages")
BENCH_DATABASE = "mallseg_bench_outcomes"
SEED = 1
IMPORT_SECONDS = 300
IMPORT_MEMORY_MB = 4_000
PAGE_MS = 1_000


def report(
    facts: dict, call: dict, first: dict, again: dict, pages: dict, customers: int, machine: str
) -> str:
    parts = call["parts"]
    slowest = max(pages.values(), key=lambda page: page["median_ms"])
    slowest_first = max(pages.values(), key=lambda page: page["first_ms"])
    lines = [
        common.measured_on("one run", machine),
        "",
        f"{customers:,} demo customers (seed {SEED}), segmented; an outcome file of {facts['rows']:,} sends "
        f"over {facts['campaigns']} campaigns.",
        "",
        "| | Time | Peak memory |",
        "|---|--:|--:|",
        f"| `manage.py import_outcomes`, empty table | {first['seconds']:.1f} s "
        f"| {first['peak_mb']:,.0f} MB |",
        f"| the same, every send already stored | {again['seconds']:.1f} s | {again['peak_mb']:,.0f} MB |",
        f"| `outcomes_import` in-process, empty table | {call['seconds']:.1f} s | {call['peak_mb']:,.0f} MB "
        f"({call['before_mb']:,.0f} MB before it) |",
        "",
        "Where `outcomes_import`'s time goes (s):",
        "",
        "| " + " | ".join(parts) + " |",
        "|" + "--:|" * len(parts),
        "| " + " | ".join(f"{seconds:.1f}" for seconds in parts.values()) + " |",
        "",
        "| Page | First request (cache empty) | Then: median | slowest |",
        "|---|--:|--:|--:|",
        *(
            f"| {name} (`{page['url']}`) | {page['first_ms']:.0f} ms | {page['median_ms']:.0f} ms "
            f"| {page['max_ms']:.0f} ms |"
            for name, page in pages.items()
        ),
        "",
        "- " + common.verdict("the import command", first["seconds"], IMPORT_SECONDS, " s"),
        "- " + common.verdict("the import command's peak memory", first["peak_mb"], IMPORT_MEMORY_MB, " MB"),
        "- " + common.verdict("the slowest page's median", slowest["median_ms"], PAGE_MS, " ms"),
        "- " + common.verdict("the slowest first request", slowest_first["first_ms"], PAGE_MS, " ms"),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sends", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    machine = common.machine_description([f"PostgreSQL {common.postgres_version()}"])
    common.OUT_DIR.mkdir(exist_ok=True)
    path = str(common.OUT_DIR / f"outcomes-{args.customers}-{args.sends}.csv")
    step = "bench.outcome_steps"
    with common.seeded_postgres_database(BENCH_DATABASE, customers=args.customers, seed=SEED) as environment:
        facts = common.run_step(step, "prepare", str(args.sends), path, environment=environment)
        call = common.run_step(step, "call", path, environment=environment)
        first = common.run_step(step, "command", path, environment=environment)
        again = common.run_step(step, "command", path, environment=environment)
        # The test client speaks plain HTTP to "testserver", as a TLS-terminating proxy would.
        served = {**environment, "SECURE_SSL_REDIRECT": "false", "ALLOWED_HOSTS": "testserver"}
        pages = common.run_step(step, "pages", str(args.requests), environment=served)
    figures = report(facts, call, first, again, pages, args.customers, machine)
    print(figures, flush=True)
    if not args.no_readme:
        README_SECTION.write(figures)


if __name__ == "__main__":
    main()
