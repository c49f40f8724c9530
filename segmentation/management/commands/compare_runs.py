import json

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from core.commands import DataCommand
from segmentation.api.moves import RunMovesSerializer
from segmentation.models import SegmentationRun
from segmentation.selectors.moves import RunMoves, run_moves

NAME_WIDTH = 28


class Command(DataCommand):
    help = (
        "Follow customers from run A to run B: which of B's segments continues which of A's, the "
        "segments gone, and how many customers moved from each segment to each (as the API's "
        "GET /api/v1/runs/B/compare/?with=A)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("first", type=int, help="Run A, the earlier one: its segments are the rows.")
        parser.add_argument("second", type=int, help="Run B: its segments are the columns.")
        parser.add_argument("--json", action="store_true", help="Print the API's JSON object.")

    def handle(self, *args, **options) -> None:
        runs = {
            run.pk: run
            for run in SegmentationRun.objects.filter(pk__in=[options["first"], options["second"]])
        }
        for run_id in (options["first"], options["second"]):
            if run_id not in runs:
                raise CommandError(f"No run {run_id}.")
        try:
            moves = run_moves(first=runs[options["first"]], second=runs[options["second"]])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if options["json"]:
            self.stdout.write(json.dumps(RunMovesSerializer(moves).data, indent=2))
        else:
            self.stdout.write("\n".join(_report(moves)))


def _report(moves: RunMoves) -> list[str]:
    first, second = moves.first.pk, moves.second.pk
    lines = [
        f"Run {first} → run {second}: {moves.moved_customers:,} of {moves.shared_customers:,} customers "
        f"moved ({moves.moved_share:.1%}).",
        "",
        f"Segments of run {second}:",
    ]
    kept = moves.kept_shares
    for segment in moves.columns:
        earlier = moves.continues[segment.pk]
        lineage = (
            "new" if earlier is None else f"continues {earlier.name} ({kept.get(segment.pk, 0):.0%} kept)"
        )
        lines.append(f"  {segment.name:<{NAME_WIDTH}} {lineage}")
    lines += [
        f"  {gone.name:<{NAME_WIDTH}} gone: no segment of run {second} continues it"
        for gone in moves.vanished
    ]
    lines += ["", f"Customers from run {first} (rows) to run {second} (columns):"]
    lines.append(" " * (NAME_WIDTH + 2) + "".join(f"{segment.name[:14]:>16}" for segment in moves.columns))
    for source, cells in moves.rows:
        lines.append(
            f"  {source.name[:NAME_WIDTH]:<{NAME_WIDTH}}"
            + "".join(f"{cell.customers:>16,}" for cell in cells)
        )
    return lines
