"""How many rows the K sweep needs: the K it recommends, and its time, at 20,000, 10,000 and 5,000 rows.

Run from the repository root:

    python bench/sweep_sample_bench.py [--no-readme]

On the demo book (a million customers), blobs of different numbers, spreads and dimensions, and
uniform noise, each sweep (K from 2 to 10, K-Means; a Gaussian mixture's BIC on three of them)
runs with several seeds at each sample size (bench/sweep_sample_steps.py, one maths thread). The
portal's sweep sample (``DEFAULT_SWEEP_SAMPLE_SIZE``) is 5,000 rows because its sweeps recommend
the K that most 20,000-row sweeps of the same data recommend as often as 20,000-row sweeps do.
The figures are printed and written into bench/README.md between the sweep-sample markers.
"""

import argparse
from collections import Counter
from importlib.metadata import version

import common

README_SECTION = common.ReadmeSection("sweep-sample", heading="## How many rows the K sweep needs")
SIZES = ("20000", "10000", "5000")  # as JSON keys
ALGORITHM_NAMES = {"kmeans": "K-Means", "gmm": "Gaussian mixture"}


def report(rows: list[dict], machine: str) -> str:
    agreeing = {size: sum(_agreeing(row, size) for row in rows) for size in SIZES}
    sweeps = sum(len(row["chosen"][SIZES[0]]) for row in rows)
    lines = [
        common.measured_on("K from 2 to 10, each seed once per sample size, one maths thread", machine),
        "",
        "| Data | Algorithm | K chosen, per seed: 20,000 rows | 10,000 | 5,000 "
        "| Seconds per sweep: 20,000 | 10,000 | 5,000 |",
        "|---|---|---|---|---|--:|--:|--:|",
    ]
    for row in rows:
        chosen = " | ".join(" ".join(map(str, row["chosen"][size])) for size in SIZES)
        seconds = " | ".join(f"{row['seconds'][size]:.2f}" for size in SIZES)
        lines.append(f"| {row['data']} | {ALGORITHM_NAMES[row['algorithm']]} | {chosen} | {seconds} |")
    lines += [
        "",
        "Where the groups overlap, the K a sweep recommends changes with the seed at every sample "
        "size. So the test is how often a sweep recommends the K that most 20,000-row sweeps of the "
        f"same data recommend: {_agreement(agreeing, sweeps)}.",
        "",
        "- "
        + common.verdict(
            "sweeps of 5,000 rows recommend the 20,000-row majority's K as often as sweeps of 20,000 rows",
            agreeing["5000"],
            agreeing["20000"],
            f" of {sweeps}",
            passes=agreeing["5000"] >= agreeing["20000"],
        ),
        "",
    ]
    return "\n".join(lines)


def _agreement(agreeing: dict[str, int], sweeps: int) -> str:
    return ", ".join(f"{agreeing[size]} of {sweeps} at {int(size):,} rows" for size in SIZES)


def _agreeing(row: dict, size: str) -> int:
    """How many of the row's sweeps at ``size`` rows recommend the K most 20,000-row sweeps did
    (of equally common K's, the smallest)."""
    counts = Counter(row["chosen"][SIZES[0]])
    majority = min(counts, key=lambda k: (-counts[k], k))
    return sum(k == majority for k in row["chosen"][size])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    machine = common.machine_description([f"scikit-learn {version('scikit-learn')}"])
    rows = common.run_step("bench.sweep_sample_steps", "compare", environment=common.child_environment(None))
    figures = report(rows, machine)
    print(figures, flush=True)
    if not args.no_readme:
        README_SECTION.write(figures)


if __name__ == "__main__":
    main()
