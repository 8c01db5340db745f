"""`quizapp optimize`: FSRS parameters fitted to the user's own scheduled reviews.

The fit is `fsrs.Optimizer` (the optional extra `quizapp[optimizer]`, which needs torch). The Optimizer
learns only from reviews made at least a day after the card's previous review (the first 64 reviews of
each card) and quietly returns the defaults when it has fewer than 512 of them; here that case is an
error that says how many more are needed. Log loss is the Optimizer's own measure (binary cross-entropy
of predicted retrievability against recall, Again = forgotten) over those same reviews, computed here
without torch so that the current parameters can be scored too.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fsrs import Card, Rating, ReviewLog, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.config import Settings
from quizapp.errors import UserError
from quizapp.plural import counted
from quizapp.safetext import shown_path
from quizapp.study.clock import from_ms
from quizapp.study.store import Store

__all__ = [
    "MAX_REVIEWS_PER_CARD",
    "MIN_REVIEWS",
    "OptimizeResult",
    "Score",
    "check_enough",
    "recompute_memory",
    "fit_parameters",
    "require_optimizer",
    "result_text",
    "review_logs",
    "run_optimize",
    "score",
]

MIN_REVIEWS = 512  # fsrs.optimizer's mini-batch size: below it, it returns the defaults
MAX_REVIEWS_PER_CARD = 64  # fsrs.optimizer's max_seq_len
INSTALL_HINT = (
    'pip install "quizapp[optimizer]"\n'
    "(for a small CPU-only torch, run this first: pip install torch --index-url https://download.pytorch.org/whl/cpu)"
)


@dataclass(frozen=True)
class Score:
    reviews: int  # reviews the loss is computed on (and the Optimizer learns from)
    log_loss: float  # nan when reviews == 0


@dataclass(frozen=True)
class OptimizeResult:
    total_reviews: int
    old: tuple[float, ...]
    new: tuple[float, ...]
    old_score: Score
    new_score: Score

    @property
    def improved(self) -> bool:
        return self.new_score.log_loss < self.old_score.log_loss


def review_logs(store: Store) -> list[ReviewLog]:
    """The scheduled reviews (quiz and cram leave the schedule alone, so they are not evidence)."""
    return [
        ReviewLog(card_id=row.card_id, rating=Rating(row.rating), review_datetime=from_ms(row.reviewed_ms),
                  review_duration=row.duration_ms)
        for row in store.log(modes=["review"])
    ]


def score(logs: Sequence[ReviewLog], parameters: Sequence[float]) -> Score:
    """Mean log loss of predicted retrievability vs recall, on the reviews the Optimizer learns from."""
    scheduler = Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    total, count = 0.0, 0
    for card_id, history in _histories(logs).items():
        card = Card(card_id=card_id, due=history[0].review_datetime)
        for log in history[:MAX_REVIEWS_PER_CARD]:
            now = log.review_datetime
            if card.last_review is not None and (now - card.last_review).days > 0:
                predicted = scheduler.get_card_retrievability(card, now)
                total += _cross_entropy(predicted, log.rating != Rating.Again)
                count += 1
            card, _ = scheduler.review_card(card, log.rating, now)
    return Score(count, total / count if count else math.nan)


def check_enough(logs: Sequence[ReviewLog]) -> int:
    """The number of usable reviews; a UserError saying how many more are needed when there are too few."""
    usable = score(logs, DEFAULT_PARAMETERS).reviews  # the count does not depend on the parameters
    if usable < MIN_REVIEWS:
        raise UserError(_too_few(usable, len(logs)))
    return usable


def require_optimizer() -> None:
    """Raise a UserError naming the install command when torch (or the Optimizer's other needs) is missing."""
    missing = []
    for module in ("torch", "pandas", "tqdm"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise UserError(f"`quizapp optimize` needs {', '.join(missing)}, not installed here. "
                        f"Install the optimizer extra:\n  {INSTALL_HINT}")


def fit_parameters(logs: Sequence[ReviewLog], current: Sequence[float]) -> OptimizeResult:
    """Fit new parameters; a UserError when there are too few usable reviews or torch is missing."""
    check_enough(logs)
    require_optimizer()
    from fsrs import Optimizer

    fitted = tuple(round(float(p), 4) for p in Optimizer(list(logs)).compute_optimal_parameters())
    return OptimizeResult(len(logs), tuple(current), fitted, score(logs, current), score(logs, fitted))


def run_optimize(store: Store, settings: Settings, config_path: Path, *, save: bool) -> str:
    """The `quizapp optimize` command: fit, compare, and save to config.toml only when asked and better."""
    from quizapp.settings_file import save_fsrs_parameters

    current = tuple(settings.fsrs_parameters or DEFAULT_PARAMETERS)
    logs = review_logs(store)
    check_enough(logs)
    require_optimizer()
    print(f"fitting FSRS parameters to {len(logs)} scheduled reviews...", file=sys.stderr, flush=True)
    result = fit_parameters(logs, current)
    text = result_text(result)
    if not result.improved:
        return text + "\nthe fitted parameters predict your reviews no better than the current ones; nothing saved"
    if not save:
        return text + "\nnot saved: run `quizapp optimize --save` to use the fitted parameters"
    save_fsrs_parameters(config_path, result.new)
    cards = recompute_memory(store, settings, result.new)
    return text + (f"\nsaved as fsrs_parameters in {shown_path(config_path)}; quizapp schedules with them from "
                   "now on.\n"
                   f"The stability and difficulty of your {counted(cards, 'scheduled card')} were recomputed "
                   "from their history with them; due dates stay as they are until each card's next review")


def recompute_memory(store: Store, settings: Settings, parameters: Sequence[float]) -> int:
    """Replay every scheduled card's history with `parameters`, as Anki recomputes memory states when its
    parameters change: otherwise `prop:r`, the review order and the forecast read states the old parameters
    made, and a sync (which replays with the new ones) would change cards it merely touched. Each review keeps
    the due date it was given. Returns the number of cards."""
    from quizapp.study.scheduling import Scheduling
    from quizapp.study.sync import replay_card

    scheduling = Scheduling(settings.model_copy(update={"enable_fuzzing": False,
                                                        "fsrs_parameters": tuple(parameters)}))
    keys = list(store.scheduled_keys())
    with store.transaction() as db:
        for key in keys:
            replay_card(store, db, key, scheduling)
    return len(keys)


def result_text(result: OptimizeResult) -> str:
    """The old and new parameters side by side, and the log loss of each."""
    lines = [
        f"FSRS parameters fitted to {result.new_score.reviews} of your {result.total_reviews} scheduled reviews",
        "",
        f"{'':>9}{'current':>10}{'fitted':>10}",
        *(f"{f'w{i}':>9}{old:>10.4f}{new:>10.4f}" for i, (old, new) in enumerate(zip(result.old, result.new))),
        f"{'log loss':>9}{result.old_score.log_loss:>10.4f}{result.new_score.log_loss:>10.4f}  (lower is better)",
        "",
        "w0-w3 are how long a new card stays 90% likely to be recalled after its first answer:",
        *(f"{f'{name} ({index + 1})':>9}  {_days(result.old[index])} now, {_days(result.new[index])} fitted"
          for index, name in enumerate(("Again", "Hard", "Good", "Easy"))),
    ]
    return "\n".join(lines)


def _days(stability: float) -> str:
    """A stability in days, read as a time: 0.21 days is '5 hours'."""
    if stability < 1:
        hours = max(round(stability * 24), 1)
        return counted(hours, "hour")
    return f"{stability:.1f} day{'s' * (stability != 1)}"


def _histories(logs: Sequence[ReviewLog]) -> dict[int, list[ReviewLog]]:
    by_card: dict[int, list[ReviewLog]] = defaultdict(list)
    for log in logs:
        by_card[log.card_id].append(log)
    return {card_id: sorted(history, key=lambda log: log.review_datetime) for card_id, history in by_card.items()}


def _cross_entropy(predicted: float, recalled: bool) -> float:
    """Binary cross-entropy with torch's BCELoss clamp (log >= -100)."""
    probability = predicted if recalled else 1.0 - predicted
    return -max(math.log(probability), -100.0) if probability > 0 else 100.0


def _too_few(usable: int, total: int) -> str:
    return (
        f"too few reviews to fit FSRS parameters: {usable} of your {total} scheduled reviews can be used "
        f"(the optimizer learns from reviews made at least a day after the card's previous review) and it "
        f"needs {MIN_REVIEWS}, so about {MIN_REVIEWS - usable} more. Keep reviewing and run "
        "`quizapp optimize` again; until then quizapp uses its current parameters."
    )
