import json

import pytest
from django.core.management import CommandError, call_command

from segmentation.models import SegmentationRun

pytestmark = pytest.mark.django_db


def test_segment_command_prints_the_outcome_as_json(mall_customers, capsys):
    call_command("segment", "--features", "annual_income,spending_score", "--sync", "--json", "--activate")

    outcome = json.loads(capsys.readouterr().out)
    assert outcome["status"] == "succeeded" and outcome["active"]
    assert outcome["k"] == 5 and outcome["k_automatic"]
    assert outcome["silhouette"] == pytest.approx(0.55, abs=0.01)
    assert len(outcome["k_sweep"]["inertias"]) == 9
    assert sorted(segment["size"] for segment in outcome["segments"]) == [22, 23, 35, 39, 81]
    cautious = next(s for s in outcome["segments"] if s["persona"] == "Cautious Spenders")
    assert cautious["levels"] == {"annual_income": "high", "spending_score": "low"}
    assert cautious["centroid"]["annual_income"] == pytest.approx(88, abs=2)


def test_segment_command_with_fixed_k_prints_a_summary(mall_customers, capsys):
    call_command("segment", "--k", "3", "--sync", "--scaling", "minmax", "--seed", "5")

    output = capsys.readouterr().out
    assert "K=3" in output
    assert SegmentationRun.objects.get().requested_k == 3


def test_segment_command_refuses_a_bad_k(db):
    with pytest.raises(CommandError, match="--k must be 'auto' or a whole number"):
        call_command("segment", "--k", "five", "--sync")


def test_segment_command_refuses_an_unknown_feature(db):
    with pytest.raises(CommandError, match="Unknown feature"):
        call_command("segment", "--features", "income,shoe_size", "--sync")


def test_segment_command_fails_when_the_run_fails(db):
    with pytest.raises(CommandError, match="no customers"):
        call_command("segment", "--sync")


def test_segment_command_can_leave_an_active_segmentation_alone(mall_customers, capsys):
    call_command("segment", "--sync")

    call_command("segment", "--sync", "--if-no-active")

    assert SegmentationRun.objects.count() == 1
    assert "already active" in capsys.readouterr().out


def test_segment_command_takes_a_k_range(mall_customers, capsys):
    call_command("segment", "--k-min", "3", "--k-max", "6", "--sync", "--json")

    outcome = json.loads(capsys.readouterr().out)
    assert outcome["k_sweep"]["ks"] == [3, 4, 5, 6]


def test_segment_command_refuses_a_k_beyond_the_engines_limit(db):
    with pytest.raises(CommandError, match="K must be a whole number from 2 to 50, not 51"):
        call_command("segment", "--k", "51", "--sync")
