import pytest

from segmentation.engine.errors import InvalidParameterError
from segmentation.engine.personas import PersonaRule, describe_segment, name_segments
from segmentation.engine.profiles import LevelBand, SegmentProfile

BANDS = {
    "annual_income": LevelBand(low_below=40.0, high_above=70.0),
    "spending_score": LevelBand(low_below=35.0, high_above=65.0),
    "age": LevelBand(low_below=30.0, high_above=45.0),
}
PREMIUM = PersonaRule(name="Premium Shoppers", levels={"annual_income": "high", "spending_score": "high"})


def profile(index, size=10, gender_shares=None, **means):
    return SegmentProfile(
        index=index,
        size=size,
        share=0.1,
        means=means,
        medians=means,
        levels={feature: BANDS[feature].level_of(value=value) for feature, value in means.items()},
        gender_shares=gender_shares,
    )


def test_every_matching_segment_gets_its_persona(seed_rules):
    profiles = [
        profile(0, annual_income=90, spending_score=20),
        profile(1, annual_income=55, spending_score=50),
    ]
    names = name_segments(profiles=profiles, bands=BANDS, rules=seed_rules)
    assert [(name.persona, name.display_name) for name in names] == [
        ("Cautious Spenders", "Cautious Spenders"),
        ("Standard Shoppers", "Standard Shoppers"),
    ]


def test_in_a_conflict_the_segment_further_in_the_rules_direction_wins_and_the_other_is_described():
    profiles = [
        profile(0, size=50, annual_income=75, spending_score=70),
        profile(1, size=20, annual_income=90, spending_score=85),
    ]
    names = name_segments(profiles=profiles, bands=BANDS, rules=[PREMIUM])
    assert names[1].persona == "Premium Shoppers"
    assert names[0].persona is None
    assert names[0].display_name == "High income · High spending"


def test_in_an_exact_tie_the_larger_segment_wins():
    profiles = [
        profile(0, size=20, annual_income=80, spending_score=80),
        profile(1, size=30, annual_income=80, spending_score=80),
    ]
    assert [name.persona for name in name_segments(profiles=profiles, bands=BANDS, rules=[PREMIUM])] == [
        None,
        "Premium Shoppers",
    ]


def test_a_more_specific_rule_is_granted_first():
    broad = PersonaRule(name="Big Earners", levels={"annual_income": "high"})
    profiles = [
        profile(0, annual_income=90, spending_score=90),
        profile(1, annual_income=90, spending_score=50),
    ]
    names = name_segments(profiles=profiles, bands=BANDS, rules=[broad, PREMIUM])
    assert [name.persona for name in names] == ["Premium Shoppers", "Big Earners"]


def test_a_rule_naming_a_feature_outside_the_run_matches_nothing():
    young = PersonaRule(name="Young Premium", levels={"annual_income": "high", "age": "low"})
    names = name_segments(
        profiles=[profile(0, annual_income=90, spending_score=90)], bands=BANDS, rules=[young]
    )
    assert names[0].persona is None


def test_repeated_descriptive_names_are_numbered():
    profiles = [
        profile(0, annual_income=10, spending_score=50),
        profile(1, annual_income=15, spending_score=55),
    ]
    names = name_segments(profiles=profiles, bands=BANDS, rules=[])
    assert [name.display_name for name in names] == [
        "Low income · Mid spending",
        "Low income · Mid spending (2)",
    ]


@pytest.mark.parametrize(
    ("age", "words"), [(24.0, "Under 30"), (30.0, "Aged 30–50"), (50.0, "Aged 30–50"), (61.0, "Over 50")]
)
def test_age_words_come_from_the_mean_age(age, words):
    assert describe_segment(profile=profile(0, annual_income=90, spending_score=20, age=age)) == (
        f"High income · Low spending · {words}"
    )


def test_gender_is_named_only_when_clearly_dominant():
    mostly = profile(0, gender_shares={"female": 0.8, "male": 0.2, "other": 0.0}, age=25.0)
    mixed = profile(1, gender_shares={"female": 0.6, "male": 0.4, "other": 0.0}, age=25.0)
    assert describe_segment(profile=mostly) == "Under 30 · Mostly female"
    assert describe_segment(profile=mixed) == "Under 30"


def test_a_segment_with_nothing_to_describe_is_numbered():
    assert describe_segment(profile=profile(2, gender_shares={"female": 0.5, "male": 0.5, "other": 0.0})) == (
        "Segment 3"
    )


@pytest.mark.parametrize(
    ("name", "levels", "message"),
    [
        ("", {"age": "low"}, "needs a name"),
        ("Nobody", {}, "requires no level"),
        ("Odd", {"annual_income": "very high"}, "level 'very high'; use low, mid, high"),
        ("Ladies", {"gender": "female"}, "uses gender, but only numeric features have levels"),
        ("Odd", {"Annual Income": "high"}, "uses 'Annual Income', which is no feature name"),
    ],
)
def test_invalid_rules_are_refused(name, levels, message):
    with pytest.raises(InvalidParameterError, match=message):
        PersonaRule(name=name, levels=levels)


def test_persona_names_must_be_unique():
    with pytest.raises(InvalidParameterError, match="repeated: Premium Shoppers"):
        name_segments(profiles=[], bands=BANDS, rules=[PREMIUM, PREMIUM])
