"""Load benchmark: 20 portal clients for 60 s while 1,000,000-customer runs execute on PostgreSQL.

On a fresh bench database (1,000,000 demo customers and an active run, as the pages benchmark
prepares them), gunicorn serves the app as docker-compose does (3 workers, DEBUG off) and a
process executes segmentation runs back to back, as a worker would, for the whole window.
Meanwhile CLIENTS threads each request the portal's pages and API reads in turn, logged in,
and every answer's status and latency is kept. The target: no 5xx at all; p95 per page is
recorded. The figures are what the clients wait for (connection to last byte).

    python bench/load_bench.py [--customers 1000000] [--clients 20] [--seconds 60] [--no-readme]
"""

import argparse
import http.client
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from functools import partial

import common
from common import ROOT

SECTION = common.ReadmeSection("load-bench", "## Pages under load during a run")
DATABASE = "mallseg_bench_load"
SEED = 7
run_pages_step = partial(common.run_step, "bench.pages_steps")
run_load_step = partial(common.run_step, "bench.load_steps")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pages(facts: dict) -> list[tuple[str, str, bool]]:
    """(label, path, with the API token rather than the session) for each page a client reads."""
    return [
        ("Dashboard", "/", False),
        ("Customer list", "/customers/", False),
        ("Customer page", f"/customers/{facts['deep_customer']}/", False),
        ("Segment page", f"/segments/{facts['largest_segment']}/", False),
        ("Runs", "/runs/", False),
        ("API: customers", "/api/v1/customers/", True),
        ("API: runs", "/api/v1/runs/", True),
    ]


def client(port: int, facts: dict, until: float, answers: list) -> None:
    """One client: the pages in turn until ``until``, each answer kept as (label, status, seconds)."""
    headers_for = {False: {"Cookie": facts["cookie"]}, True: {"Authorization": f"Token {facts['token']}"}}
    while time.monotonic() < until:
        for label, path, api in pages(facts):
            start = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                connection.request("GET", path, headers={**headers_for[api], "Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                answers.append((label, response.status, time.perf_counter() - start))
            except OSError:
                answers.append((label, 599, time.perf_counter() - start))  # no answer at all
            finally:
                connection.close()


def serve(port: int, environment: dict[str, str]) -> subprocess.Popen:
    command = [
        "gunicorn",
        "mallseg.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "3",
        "--timeout",
        "120",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=environment)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


def load(port: int, facts: dict, clients: int, seconds: float) -> list:
    answers: list = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, facts, until, answers)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def table(answers: list) -> str:
    by_page = defaultdict(list)
    for label, status, seconds in answers:
        by_page[label].append((status, seconds))
    lines = ["| Page | Requests | p50 (ms) | p95 (ms) | Max (ms) | 5xx |", "|---|--:|--:|--:|--:|--:|"]
    for label, results in [*by_page.items(), ("All", [(s, t) for _, s, t in answers])]:
        times = sorted(t * 1000 for _, t in results)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        errors = sum(status >= 500 for status, _ in results)
        median = statistics.median(times)
        lines.append(f"| {label} | {len(times):,} | {median:.0f} | {p95:.0f} | {times[-1]:.0f} | {errors} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    with common.postgres_database(DATABASE) as url:
        environment = common.child_environment(url, SECURE_SSL_REDIRECT="false", ALLOWED_HOSTS="127.0.0.1")
        run_pages_step("prepare", str(args.customers), str(SEED), environment=environment)
        facts = run_load_step("credentials", environment=environment)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT,
                       env=environment, check=True)  # fmt: skip
        port = free_port()
        server = serve(port, environment)
        command = [sys.executable, "-m", "bench.load_steps", "runs", str(args.seconds)]
        runs = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True)
        try:
            answers = load(port, facts, args.clients, args.seconds)
        finally:
            run_outcome = runs.communicate()[0].splitlines()[-1]
            server.terminate()
            server.wait(timeout=30)
    report(args, answers, run_outcome)


def report(args: argparse.Namespace, answers: list, run_outcome: str) -> None:
    import json

    runs = json.loads(run_outcome)
    errors = sum(status >= 500 for _, status, _ in answers)
    outcomes = zip(runs["durations"], runs["statuses"], strict=True)
    finished = ", ".join(f"{seconds:.1f} s ({status})" for seconds, status in outcomes)
    machine = common.machine_description([f"PostgreSQL {common.postgres_version()}"])
    conditions = f"{args.clients} clients for {args.seconds:.0f} s, {args.customers:,} customers"
    verdict = common.verdict("no 5xx under load", errors, 0, "")
    figures = (
        f"{common.measured_on(conditions, machine)}\n\nRuns executing during the window: {finished}.\n\n"
        f"{table(answers)}\n- {verdict}\n"
    )
    print(figures)
    if not args.no_readme:
        SECTION.write(figures)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
