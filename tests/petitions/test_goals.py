"""The goal ladder supporters see next to the count."""

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from campaign.petitions.goals import LADDER_FILE, ladder, next_goal


def test_42424_signatures_show_a_next_goal_of_50000():
    assert next_goal(42_424) == 50_000


def test_239_signatures_show_a_next_goal_of_500_as_on_change_org():
    assert next_goal(239) == 500
    assert 250 not in ladder()[0]


@pytest.mark.parametrize(
    ("count", "goal"),
    [(0, 10), (9, 10), (10, 25), (99, 100), (150, 200), (200, 500), (999, 1000), (1000, 1500),
     (1500, 2500), (7_500, 10_000), (30_000, 35_000),
     (49_999, 50_000), (50_000, 75_000), (999_999, 1_000_000), (10_000_000, 15_000_000)],
)
def test_the_next_goal_is_the_first_rung_above_the_count(count, goal):
    assert next_goal(count) == goal


def test_the_organisers_goal_wins_while_it_is_higher_than_the_ladder():
    assert next_goal(42_424, organiser_goal=100_000) == 100_000


def test_passing_the_organisers_goal_moves_on_to_the_next_rung():
    assert next_goal(120_000, organiser_goal=100_000) == 150_000


def test_a_goal_already_shown_is_kept_when_the_count_drops():
    shown = next_goal(50_010)
    assert shown == 75_000
    assert next_goal(49_990, highest_shown=shown) == 75_000


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        next_goal(-1)


def test_the_ladder_data_file_is_ascending_and_positive():
    data = yaml.safe_load(LADDER_FILE.read_text())
    rungs, step = ladder()
    assert list(rungs) == data["rungs"] == sorted(set(data["rungs"]))
    assert rungs[0] > 0 and step > 0


@given(
    count=st.integers(min_value=0, max_value=50_000_000),
    organiser_goal=st.none() | st.integers(min_value=1, max_value=50_000_000),
    highest_shown=st.none() | st.integers(min_value=0, max_value=50_000_000),
)
def test_the_goal_is_above_the_count_and_never_below_what_was_promised(
    count, organiser_goal, highest_shown
):
    goal = next_goal(count, organiser_goal, highest_shown)
    assert goal > count
    assert goal >= (organiser_goal or 0)
    assert goal >= (highest_shown or 0)


@given(st.integers(min_value=0, max_value=50_000_000), st.integers(min_value=0, max_value=1000))
def test_more_signatures_never_lower_the_goal(count, more):
    assert next_goal(count + more) >= next_goal(count)
