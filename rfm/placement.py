"""Which named segment a customer's scores belong to, in SQL, written once.

The rule: the first ``RfmSegment`` by priority whose every range holds the scores; none (NULL)
when no rule does. Scoring applies it to every customer (``rfm.services``); the grid, the cell
pages and admin's gap warning apply it to the 125 combinations of scores (``rfm.selectors``).

It is a correlated subquery on purpose: its plan is the same whatever the planner believes of
the row counts, which inside an import's transaction (the behaviour table just rewritten) it
often gets wrong; a join could then run as a nested loop over every customer.
"""

from rfm.models import AXES, SCORES, RfmSegment

_ONE_TO_FIVE = " UNION ALL ".join(f"SELECT {score} AS score" for score in SCORES)


def first_matching_segment_sql(scores: str) -> str:
    """SQL for the id of the segment of the scores in the row ``scores`` (a table name or alias
    whose columns include ``recency_score``, ``frequency_score`` and ``monetary_score``)."""
    holds = " AND ".join(
        f"{scores}.{axis}_score BETWEEN rule.{axis}_min AND rule.{axis}_max" for axis in AXES
    )
    return (
        f"(SELECT rule.id FROM {RfmSegment._meta.db_table} AS rule WHERE {holds} "
        "ORDER BY rule.priority LIMIT 1)"
    )


def placement_query() -> str:
    """SQL selecting ``recency_score, frequency_score, monetary_score, segment_id`` for each of
    the 125 combinations of scores (segment_id NULL where no rule holds)."""
    combinations = ", ".join(f"{axis}.score AS {axis}_score" for axis in AXES)
    every_combination = " CROSS JOIN ".join(f"({_ONE_TO_FIVE}) AS {axis}" for axis in AXES)
    columns = ", ".join(f"combination.{axis}_score" for axis in AXES)
    return (
        f"SELECT {columns}, {first_matching_segment_sql('combination')} "
        f"FROM (SELECT {combinations} FROM {every_combination}) AS combination"
    )
