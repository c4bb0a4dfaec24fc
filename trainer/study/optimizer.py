"""FSRS parameters fitted to one learner's own review log, with fsrs-rs (the optimiser Anki uses).

FSRS's default parameters describe an average of many Anki users; a learner's own history
predicts their recall better once there is enough of it. The optimiser is ``fsrs-rs-python``,
the Rust implementation Anki itself ships (no torch).

* **Enough history.** At least MIN_REVIEWS reviews on a later day than the card's previous one
  (the reviews the model learns from; same-day learning steps only give context). 512 is the
  threshold py-fsrs's optimiser and Anki's early releases used, and it is about what a 20 %
  held-out split needs: with ~100 held-out reviews the log loss of two parameter sets differing
  by 0.01 is within noise, so fewer reviews could not show the new set is better.
* **Judged on unseen reviews.** The reviews are split in time: the parameters are fitted on the
  earlier 80 % of the training items and both sets (current and new) are scored on the later
  20 % — log loss and RMSE (bins), as Anki shows them. The set evaluated is the set adopted.
* **Adopted only when better:** lower log loss and no higher RMSE (bins) on those reviews.
  Every run is kept (``ParameterSet``), adopted or not, so the history is visible.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import fsrs_rs_python as fsrs_rs
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.store.enums import ReviewKind
from trainer.store.tables import ParameterSet, Profile, ReviewLog, table_of
from trainer.store.types import utcnow
from trainer.study.scheduling import Settings, study_date

MIN_REVIEWS = 512
TEST_SHARE = 0.2
# "Optionally monthly": a profile whose last optimisation is older than this is due another.
MONTHLY = timedelta(days=30)
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs_rs.DEFAULT_PARAMETERS)

_LOG = table_of(ReviewLog)
_SETS = table_of(ParameterSet)
_PROFILE = table_of(Profile)


@dataclass(frozen=True)
class LogReview:
    """One answer of the log, as the optimiser needs it."""

    card_id: str
    rating: int
    reviewed_at: datetime


@dataclass(frozen=True)
class Optimisation:
    """One run: the fitted parameters, both sets' scores on unseen reviews, and the decision."""

    reviews: int  # long-term reviews in the log (the threshold counts these)
    parameters: tuple[float, ...] | None  # None: not enough history, nothing fitted
    log_loss: float | None = None
    rmse_bins: float | None = None
    previous_log_loss: float | None = None
    previous_rmse_bins: float | None = None
    adopted: bool = False
    reason: str = ""

    def to_json_dict(self) -> dict[str, object]:
        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 5)

        return {
            "reviews": self.reviews,
            "adopted": self.adopted,
            "reason": self.reason,
            "log_loss": {"current": r(self.previous_log_loss), "new": r(self.log_loss)},
            "rmse_bins": {"current": r(self.previous_rmse_bins), "new": r(self.rmse_bins)},
            "parameters": None if self.parameters is None else [round(p, 4) for p in self.parameters],
        }


def items_from(reviews: Sequence[LogReview], settings: Settings) -> list[tuple[datetime, fsrs_rs.FSRSItem]]:
    """FSRS training items as Anki builds them: for every review on a later study day than the
    card's previous one, the card's history up to and including it (days between answers counted
    in study days). Each comes with the time of its last review, for the time-series split."""
    by_card: dict[str, list[LogReview]] = defaultdict(list)
    for review in reviews:
        by_card[review.card_id].append(review)
    items: list[tuple[datetime, fsrs_rs.FSRSItem]] = []
    for history in by_card.values():
        history.sort(key=lambda r: r.reviewed_at)
        days = [study_date(r.reviewed_at, settings) for r in history]
        steps = [
            fsrs_rs.FSRSReview(r.rating, 0 if i == 0 else (days[i] - days[i - 1]).days)
            for i, r in enumerate(history)
        ]
        for i in range(1, len(history)):
            if days[i] > days[i - 1]:
                items.append((history[i].reviewed_at, fsrs_rs.FSRSItem(steps[: i + 1])))
    items.sort(key=lambda pair: pair[0])
    return items


def optimise(
    reviews: Sequence[LogReview], settings: Settings, current: Sequence[float] | None = None
) -> Optimisation:
    """Fit, score both sets on the later reviews, decide. Pure apart from the optimiser's work."""
    items = [item for _, item in items_from(reviews, settings)]
    if len(items) < MIN_REVIEWS:
        return Optimisation(
            reviews=len(items),
            parameters=None,
            reason=f"{len(items)} reviews on later days; the optimiser needs at least {MIN_REVIEWS}",
        )
    cut = math.floor(len(items) * (1 - TEST_SHARE))
    train, test = items[:cut], items[cut:]
    current_parameters = list(current or DEFAULT_PARAMETERS)
    fitted = fsrs_rs.FSRS(current_parameters).compute_parameters(train)
    new = fsrs_rs.FSRS(fitted).evaluate(test)
    old = fsrs_rs.FSRS(current_parameters).evaluate(test)
    better = new.log_loss < old.log_loss and new.rmse_bins <= old.rmse_bins
    reason = (
        "better on the later reviews: adopted"
        if better
        else "not better on the later reviews than the parameters in use: kept those"
    )
    return Optimisation(
        reviews=len(items),
        parameters=tuple(float(p) for p in fitted),
        log_loss=float(new.log_loss),
        rmse_bins=float(new.rmse_bins),
        previous_log_loss=float(old.log_loss),
        previous_rmse_bins=float(old.rmse_bins),
        adopted=better,
        reason=reason,
    )


def profile_reviews(engine: Engine, profile_id: int) -> list[LogReview]:
    """The profile's answers that changed memory (practice-ahead answers are left out)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(_LOG.c.card_id, _LOG.c.rating, _LOG.c.reviewed_at)
            .where(_LOG.c.profile_id == profile_id, _LOG.c.kind != ReviewKind.CRAM)
            .order_by(_LOG.c.reviewed_at, _LOG.c.id)
        ).all()
    return [LogReview(card_id, rating, reviewed_at) for card_id, rating, reviewed_at in rows]


def optimise_profile(
    engine: Engine, profile: Profile, settings: Settings, actor: Actor | None = None
) -> Optimisation:
    """Run the optimiser on a profile's log; keep the run in the history; adopt if better.
    With sign-in on, one's own profile only."""
    assert profile.id is not None
    require_profile(engine, actor, profile.id)
    result = optimise(profile_reviews(engine, profile.id), settings, profile.fsrs_parameters)
    if result.parameters is None:
        return result
    with engine.begin() as conn:
        conn.execute(
            _SETS.insert().values(
                profile_id=profile.id,
                created_at=utcnow(),
                parameters=list(result.parameters),
                reviews=result.reviews,
                log_loss=result.log_loss,
                rmse_bins=result.rmse_bins,
                previous_log_loss=result.previous_log_loss,
                previous_rmse_bins=result.previous_rmse_bins,
                adopted=result.adopted,
            )
        )
        if result.adopted:
            conn.execute(
                update(_PROFILE)
                .where(_PROFILE.c.id == profile.id)
                .values(fsrs_parameters=list(result.parameters))
            )
    return result


def parameter_history(engine: Engine, profile_id: int, actor: Actor | None = None) -> list[ParameterSet]:
    """Every optimisation of the profile, oldest first. With sign-in on, one's own only."""
    require_profile(engine, actor, profile_id)
    with engine.connect() as conn:
        rows = conn.execute(
            select(_SETS).where(_SETS.c.profile_id == profile_id).order_by(_SETS.c.created_at, _SETS.c.id)
        ).all()
    return [ParameterSet(**row._mapping) for row in rows]


def monthly_due(engine: Engine, profile_id: int, now: datetime | None = None) -> bool:
    """Whether a monthly optimisation is due: none yet, or the last is over MONTHLY old."""
    with engine.connect() as conn:
        last = conn.execute(
            select(func.max(_SETS.c.created_at)).where(_SETS.c.profile_id == profile_id)
        ).scalar_one_or_none()
    return last is None or (now or utcnow()) - last >= MONTHLY
