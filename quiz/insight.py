"""Item analysis of quiz answers and recall forecasts from card states; no Flask, no database.

Item analysis follows classical test theory as Moodle's quiz statistics report it:

- facility: the mean score on a question (the share right when scores are 0 or 1);
- discrimination: the upper-lower index of Kelley (1939). Attempts are ranked by their total
  score; the top and bottom 27% (at least one attempt each) form two groups, and the index is
  the question's mean score in the upper group minus its mean in the lower one, from -1 to 1.
  Ties at a group's edge are broken by the attempt key so the result is reproducible. A value
  at or below FLAG_BELOW means the question does not separate strong from weak students (or
  does so backwards): it is flagged for the teacher to check, but only once MIN_ATTEMPTS
  attempts asked it (with fewer, one student moves the index a lot) and never when everyone
  got it right (an easy question separates nobody, and that is no fault of its wording);
- how sure the facility is: a 95% Wilson score interval (Wilson 1927), which stays inside 0..1
  and is honest at 0% and 100% where the plain normal interval collapses to a point.

The forecast reproduces `fsrs.Scheduler.get_card_retrievability` (fsrs 6.3.2) over plain
tuples: R = (1 + FACTOR * t / S) ** DECAY with t the whole days since the last review and
DECAY, FACTOR derived from the scheduler's own parameters. It exists because the dashboard
forecasts tens of thousands of cards at once and building an fsrs.Card for each would be
wasteful; tests compare it with the library's function on known states.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cached_property

import fsrs

from quiz.timeutil import as_utc

GROUP_SHARE = 0.27
FLAG_BELOW = 0.1
MIN_ATTEMPTS = 20  # the default; a deployment sets ITEM_MIN_ATTEMPTS, a teacher ?min=
MOST_MISSED = 5
Z95 = 1.959963984540054  # the normal quantile of a two-sided 95% interval


@dataclass(frozen=True)
class ScoredAttempt:
    """One attempt's score per question (0..1); questions it did not ask are absent."""

    key: int
    scores: Mapping[int, float]

    @cached_property
    def total(self) -> float:
        """The attempt's total, the ranking criterion for the discrimination groups."""
        return sum(self.scores.values())


@dataclass(frozen=True)
class ItemStats:
    """One question's statistics over a set of attempts."""

    question_id: int
    answered: int  # attempts that asked it (a blank counts, scoring 0)
    facility: float | None
    discrimination: float | None
    choices: dict[str, int]
    min_attempts: int = MIN_ATTEMPTS

    @property
    def enough(self) -> bool:
        """Asked in enough attempts for a flag to mean something."""
        return self.answered >= self.min_attempts

    @property
    def everyone_right(self) -> bool:
        """Every attempt that asked it scored full marks."""
        return self.facility is not None and self.facility >= 1

    @property
    def flagged(self) -> bool:
        """Negative or near-zero discrimination over enough attempts, on a question somebody
        missed: a question worth reading again."""
        return (
            self.enough
            and not self.everyone_right
            and self.discrimination is not None
            and self.discrimination <= FLAG_BELOW
        )

    @property
    def facility_interval(self) -> tuple[float, float] | None:
        """The 95% Wilson interval of the facility, or None when nobody was asked."""
        return wilson(self.facility, self.answered)


def wilson(share: float | None, count: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a share observed over `count` trials (partial scores are
    taken as their mean, as the facility is)."""
    if share is None or count <= 0:
        return None
    denominator = 1 + z * z / count
    centre = (share + z * z / (2 * count)) / denominator
    spread = z * math.sqrt(share * (1 - share) / count + z * z / (4 * count * count)) / denominator
    return max(0.0, centre - spread), min(1.0, centre + spread)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def facility(attempts: Iterable[ScoredAttempt], question_id: int) -> float | None:
    """The mean score on one question over the attempts that asked it; None if none did."""
    return _mean([a.scores[question_id] for a in attempts if question_id in a.scores])


def groups(attempts: Sequence[ScoredAttempt]) -> tuple[list[ScoredAttempt], list[ScoredAttempt]]:
    """The upper and lower 27% of attempts by total score (each at least one attempt)."""
    return _split(sorted(attempts, key=lambda a: (a.total, a.key)))


def _split(ranked: Sequence[ScoredAttempt]) -> tuple[list[ScoredAttempt], list[ScoredAttempt]]:
    """The upper and lower groups of attempts already ranked by total score."""
    size = max(1, round(len(ranked) * GROUP_SHARE))
    if len(ranked) < 2:
        return [], []
    size = min(size, len(ranked) // 2)
    return ranked[-size:], ranked[:size]


def discrimination(
    attempts: Sequence[ScoredAttempt], question_id: int, *, ranked: bool = False
) -> float | None:
    """Upper-lower 27% index for one question; None with fewer than two attempts asking it.
    `ranked`: the attempts are already in groups()'s order (item_analysis sorts them once)."""
    asked = [a for a in attempts if question_id in a.scores]
    upper, lower = _split(asked) if ranked else groups(asked)
    if not upper:
        return None
    high = _mean([a.scores[question_id] for a in upper])
    low = _mean([a.scores[question_id] for a in lower])
    return None if high is None or low is None else high - low


def item_analysis(
    attempts: Sequence[ScoredAttempt],
    question_ids: Sequence[int],
    picks: Iterable[tuple[int, str]] | Mapping[tuple[int, str], int] = (),
    min_attempts: int = MIN_ATTEMPTS,
) -> list[ItemStats]:
    """Statistics for each question in the given order; `picks` are (question, choice text),
    or already counted as {(question, choice text): count}."""
    chosen: dict[int, Counter[str]] = defaultdict(Counter)
    counted = picks.items() if isinstance(picks, Mapping) else ((pick, 1) for pick in picks)
    for (question_id, label), count in counted:
        chosen[question_id][label] += count
    # Ranked once: each question's groups keep this order (1,000 attempts x 100 questions).
    ranked = sorted(attempts, key=lambda a: (a.total, a.key))
    return [
        ItemStats(
            question_id=qid,
            answered=sum(1 for a in attempts if qid in a.scores),
            facility=facility(attempts, qid),
            discrimination=discrimination(ranked, qid, ranked=True),
            choices=dict(chosen[qid].most_common()),
            min_attempts=min_attempts,
        )
        for qid in question_ids
    ]


def most_missed(stats: Iterable[ItemStats], limit: int = MOST_MISSED) -> list[ItemStats]:
    """The questions with the lowest facility (below 1), hardest first."""
    missed = [s for s in stats if s.facility is not None and s.facility < 1]
    return sorted(missed, key=lambda s: (s.facility, s.question_id))[:limit]


# Forecasts.


@dataclass(frozen=True)
class Curve:
    """The forgetting curve's constants, as fsrs derives them from its parameters."""

    decay: float
    factor: float

    @classmethod
    def from_scheduler(cls, scheduler: fsrs.Scheduler | None = None) -> Curve:
        """The constants of a scheduler (the library's defaults when None)."""
        parameters = (scheduler or fsrs.Scheduler()).parameters
        decay = -parameters[20]
        return cls(decay=decay, factor=0.9 ** (1 / decay) - 1)


def recall_at(
    stability: float | None, last_review: datetime | None, when: datetime, curve: Curve
) -> float | None:
    """Predicted recall at `when` of a card (None if it was never reviewed), as fsrs does it."""
    if stability is None or last_review is None:
        return None
    elapsed_days = max(0, (as_utc(when) - as_utc(last_review)).days)
    return (1 + curve.factor * elapsed_days / stability) ** curve.decay


def mean_recall(
    states: Iterable[tuple[float | None, datetime | None]], when: datetime, curve: Curve, count: int
) -> float | None:
    """Mean recall at `when` over `count` questions, of which `states` were reviewed.

    The same formula as recall_at in one tight loop: last reviews must be UTC-aware (the
    database layer loads them so), and questions without a state count as 0.
    """
    if count <= 0:
        return None
    when = as_utc(when)
    factor, decay, total = curve.factor, curve.decay, 0.0
    for stability, last_review in states:
        if stability is not None and last_review is not None:
            total += (1 + factor * max(0, (when - last_review).days) / stability) ** decay
    return total / count


@dataclass(frozen=True)
class Forecast:
    """Recall on one date for students x questions, with averages and what to study."""

    cells: dict[tuple[int, int], float | None]  # (user, question) -> recall; None never seen
    by_question: dict[int, float]
    by_user: dict[int, float]
    to_study: dict[int, list[int]]  # user -> questions below the target, weakest first


def forecast(
    states: Iterable[tuple[int, int, float | None, datetime | None]],
    user_ids: Sequence[int],
    question_ids: Sequence[int],
    when: datetime,
    *,
    target: float = 0.9,
    curve: Curve | None = None,
) -> Forecast:
    """Forecast recall on `when` from (user, question, stability, last review) tuples.

    A question the student never reviewed counts as 0 in the averages: nothing predicts they
    will recall it.
    """
    curve = curve or Curve.from_scheduler()
    wanted_users, wanted_questions = set(user_ids), set(question_ids)
    cells: dict[tuple[int, int], float | None] = {}
    when = as_utc(when)
    factor, decay = curve.factor, curve.decay
    for user_id, question_id, stability, last_review in states:
        if user_id in wanted_users and question_id in wanted_questions:
            # recall_at inlined: this loop runs once per card of the class.
            cells[(user_id, question_id)] = (
                None
                if stability is None or last_review is None
                else (1 + factor * max(0, (when - last_review).days) / stability) ** decay
            )

    def value(user_id: int, question_id: int) -> float:
        return cells.get((user_id, question_id)) or 0.0

    by_question = {
        q: sum(value(u, q) for u in user_ids) / len(user_ids) for q in question_ids if user_ids
    }
    by_user = {
        u: sum(value(u, q) for q in question_ids) / len(question_ids)
        for u in user_ids
        if question_ids
    }
    to_study = {
        u: sorted((q for q in question_ids if value(u, q) < target), key=lambda q: (value(u, q), q))
        for u in user_ids
    }
    return Forecast(cells, by_question, by_user, to_study)


# Scores over time.


@dataclass(frozen=True)
class WeekSpread:
    """The scores of one week: how many, and their quartiles."""

    week: date  # the Monday the week starts on, in the class's zone
    count: int
    low: float
    q1: float
    median: float
    q3: float
    high: float


def week_start(moment: datetime, zone: tzinfo) -> date:
    """The Monday of the local week a moment falls in."""
    day = as_utc(moment).astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def weekly_spread(scores: Iterable[tuple[datetime, float]], zone: tzinfo) -> list[WeekSpread]:
    """Median and quartiles of the scores per local week, oldest week first."""
    weeks: dict[date, list[float]] = defaultdict(list)
    for moment, score in scores:
        weeks[week_start(moment, zone)].append(score)
    rows = []
    for week in sorted(weeks):
        values = sorted(weeks[week])
        if len(values) > 1:
            q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        else:
            q1 = median = q3 = values[0]
        rows.append(WeekSpread(week, len(values), values[0], q1, median, q3, values[-1]))
    return rows
