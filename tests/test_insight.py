"""Item analysis and the retention forecast, checked by hand and against fsrs itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from quiz import insight, scheduling
from quiz.insight import ScoredAttempt

# Four attempts at three questions. Totals: k1 2, k2 3, k3 1, k4 2.5, so with 27% of four
# (one attempt) the upper group is k2 and the lower group is k3.
SMALL = [
    ScoredAttempt(1, {1: 1, 2: 0, 3: 1}),
    ScoredAttempt(2, {1: 1, 2: 1, 3: 1}),
    ScoredAttempt(3, {1: 0, 2: 1, 3: 0}),
    ScoredAttempt(4, {1: 1, 2: 1, 3: 0.5}),
]


def test_facility_by_hand() -> None:
    assert insight.facility(SMALL, 1) == 0.75
    assert insight.facility(SMALL, 2) == 0.75
    assert insight.facility(SMALL, 3) == 0.625
    assert insight.facility(SMALL, 99) is None


def test_discrimination_by_hand() -> None:
    upper, lower = insight.groups(SMALL)
    assert [a.key for a in upper] == [2] and [a.key for a in lower] == [3]
    assert insight.discrimination(SMALL, 1) == 1.0
    assert insight.discrimination(SMALL, 2) == 0.0
    assert insight.discrimination(SMALL, 3) == 1.0


def test_groups_of_27_percent_and_negative_flag() -> None:
    """Ten attempts: groups of three; a question the weak get right and the strong miss."""
    # Ten more questions, of which student k gets k right, set the ranking: totals rise with k
    # (k7 and k8 tie on 9 and the key breaks the tie).
    attempts = [
        ScoredAttempt(
            key,
            {
                1: 1 if key > 5 else 0,
                2: 0 if key > 7 else 1,
                3: key / 10,
                **{100 + j: 1 if j < key else 0 for j in range(10)},
            },
        )
        for key in range(1, 11)
    ]
    upper, lower = insight.groups(attempts)
    assert [a.key for a in upper] == [8, 9, 10] and [a.key for a in lower] == [1, 2, 3]
    # Question 2: upper group all wrong, lower group all right.
    assert insight.discrimination(attempts, 2) == -1.0
    stats = {s.question_id: s for s in insight.item_analysis(attempts, [1, 2, 3], min_attempts=10)}
    assert stats[2].flagged and not stats[1].flagged
    # Under the default minimum of 20 attempts nothing is flagged: ten is too few to judge.
    assert not any(s.flagged for s in insight.item_analysis(attempts, [1, 2, 3]))
    assert stats[1].facility == 0.5 and stats[1].discrimination == 1.0
    assert stats[3].discrimination == pytest.approx(0.9 - 0.2)


def test_too_few_attempts_give_no_index() -> None:
    assert insight.discrimination([ScoredAttempt(1, {1: 1})], 1) is None


def test_choice_counts_and_most_missed() -> None:
    picks = [(1, "Niamey"), (1, "Agadez"), (1, "Niamey"), (2, "True")]
    stats = insight.item_analysis(SMALL, [1, 2, 3], picks)
    assert stats[0].choices == {"Niamey": 2, "Agadez": 1}
    assert stats[2].choices == {}
    missed = insight.most_missed(stats)
    assert [s.question_id for s in missed] == [3, 1, 2]
    assert insight.most_missed([insight.ItemStats(5, 1, 1.0, None, {})]) == []


KNOWN = [
    (3.2, datetime(2026, 1, 1, 9, 0, tzinfo=UTC), datetime(2026, 1, 5, 8, 0, tzinfo=UTC)),
    (10.0, datetime(2026, 1, 1, 0, 0, tzinfo=UTC), datetime(2026, 1, 11, 12, 0, tzinfo=UTC)),
    (45.5, datetime(2026, 2, 1, 0, 0, tzinfo=UTC), datetime(2026, 6, 1, 0, 0, tzinfo=UTC)),
    (0.4, datetime(2026, 3, 1, 0, 0, tzinfo=UTC), datetime(2026, 3, 1, 5, 0, tzinfo=UTC)),
    (7.0, datetime(2026, 3, 2, 0, 0, tzinfo=UTC), datetime(2026, 3, 1, 0, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("stability", "last", "when"), KNOWN)
def test_recall_equals_fsrs_retrievability(
    stability: float, last: datetime, when: datetime
) -> None:
    scheduler = fsrs.Scheduler()
    card = fsrs.Card(
        card_id=1,
        state=fsrs.State.Review,
        step=None,
        stability=stability,
        difficulty=5.0,
        due=last + timedelta(days=3),
        last_review=last,
    )
    expected = scheduler.get_card_retrievability(card, current_datetime=when)
    curve = insight.Curve.from_scheduler(scheduler)
    assert insight.recall_at(stability, last, when, curve) == pytest.approx(expected, abs=1e-12)
    state = scheduling.CardState.from_fsrs(card)
    assert scheduling.retrievability(state, when) == pytest.approx(expected, abs=1e-12)


def test_forecast_grid_averages_and_study_list() -> None:
    last = datetime(2026, 1, 1, tzinfo=UTC)
    exam = datetime(2026, 1, 21, tzinfo=UTC)
    curve = insight.Curve.from_scheduler()
    strong = insight.recall_at(100.0, last, exam, curve)
    weak = insight.recall_at(2.0, last, exam, curve)
    states = [(1, 10, 100.0, last), (1, 11, 2.0, last), (2, 10, 100.0, last), (3, 10, 1.0, last)]
    result = insight.forecast(states, [1, 2], [10, 11], exam, target=0.9)
    assert result.cells[(1, 10)] == pytest.approx(strong)
    assert (2, 11) not in result.cells  # never reviewed: no cell, counted as 0
    assert result.by_question[10] == pytest.approx(strong)
    assert result.by_question[11] == pytest.approx(weak / 2)
    assert result.by_user[2] == pytest.approx(strong / 2)
    assert result.to_study == {1: [11], 2: [11]}


def test_weekly_spread_quartiles_in_local_weeks() -> None:
    zone = ZoneInfo("America/New_York")
    # Monday 2026-03-02 02:00 UTC is still Sunday 1 March in New York: the week before.
    scores = [
        (datetime(2026, 3, 2, 2, 0, tzinfo=UTC), 40.0),
        (datetime(2026, 3, 3, 12, 0, tzinfo=UTC), 50.0),
        (datetime(2026, 3, 4, 12, 0, tzinfo=UTC), 70.0),
        (datetime(2026, 3, 5, 12, 0, tzinfo=UTC), 80.0),
        (datetime(2026, 3, 6, 12, 0, tzinfo=UTC), 100.0),
    ]
    weeks = insight.weekly_spread(scores, zone)
    assert [w.week.isoformat() for w in weeks] == ["2026-02-23", "2026-03-02"]
    assert weeks[0].count == 1 and weeks[0].median == 40.0
    later = weeks[1]
    assert (later.low, later.q1, later.median, later.q3, later.high) == (50, 65, 75, 85, 100)


def test_mean_recall_matches_recall_at() -> None:
    curve = insight.Curve.from_scheduler()
    when = datetime(2026, 6, 1, tzinfo=UTC)
    states = [(stability, last) for stability, last, _when in KNOWN] + [(None, None)]
    expected = sum(insight.recall_at(s, last, when, curve) or 0.0 for s, last in states) / 7
    assert insight.mean_recall(states, when, curve, 7) == pytest.approx(expected, abs=1e-12)
    assert insight.mean_recall([], when, curve, 0) is None


def test_a_question_everyone_got_right_is_never_flagged() -> None:
    attempts = [ScoredAttempt(k, {1: 1.0, 2: 1.0 if k % 2 else 0.0}) for k in range(40)]
    easy, split = insight.item_analysis(attempts, [1, 2], min_attempts=20)
    assert easy.discrimination == 0.0 and easy.everyone_right and not easy.flagged
    assert split.enough and not split.everyone_right


def test_wilson_interval_of_the_facility() -> None:
    low, high = insight.wilson(0.5, 10)
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)
    # At 100% the interval still admits doubt, and narrows with more attempts.
    few, many = insight.wilson(1.0, 5), insight.wilson(1.0, 500)
    assert few is not None and many is not None
    assert few[1] == 1.0 and few[0] == pytest.approx(0.5655, abs=1e-4) and many[0] > few[0]
    assert insight.wilson(None, 3) is None and insight.wilson(0.4, 0) is None
    stats = insight.ItemStats(1, 10, 0.5, None, {})
    assert stats.facility_interval == insight.wilson(0.5, 10)
