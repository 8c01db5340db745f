"""`quizapp export reviews`: the FSRS optimizer's CSV layout, one row per review, states before each review."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from fsrs import Rating

from quizapp.cli import main
from quizapp.study.clock import to_ms
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import NewReview, Store
from quizapp.export.reviews_csv import ALL_MODES, COLUMNS, write_reviews_csv
from tests.study_helpers import START, settings

DAY = timedelta(days=1)


def review(store: Store, key: str, rating: Rating, at, mode: str = "review") -> None:
    """Record one answer the way the study engine does: scheduled reviews move the card, others do not."""
    def schedule(before):
        return Scheduling(settings()).review(key, key.split("/")[0], before, rating, at, None)

    store.record(NewReview(key, card_id_for(key), int(rating), to_ms(at), 4200, mode),
                 schedule if mode == "review" else None)


def history(store: Store) -> None:
    review(store, "t/a", Rating.Good, START)  # new -> learning
    review(store, "t/a", Rating.Good, START + timedelta(minutes=1), mode="quiz")
    review(store, "t/a", Rating.Good, START + timedelta(minutes=10))  # learning -> review
    review(store, "t/a", Rating.Again, START + 3 * DAY)  # review -> relearning
    review(store, "t/a", Rating.Good, START + 3 * DAY + timedelta(minutes=5), mode="cram")
    review(store, "t/b", Rating.Easy, START + DAY, mode="quiz")  # never scheduled


def read(path: Path) -> list[list[str]]:
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def test_scheduled_reviews_with_the_state_before_each(tmp_path: Path) -> None:
    out = tmp_path / "reviews.csv"
    with Store.open(tmp_path / "data") as store:
        history(store)
        assert write_reviews_csv(store, out) == 3
    header, *rows = read(out)
    assert tuple(header) == COLUMNS == ("card_id", "review_time", "review_rating", "review_state", "review_duration")
    a = str(card_id_for("t/a"))
    assert rows == [
        [a, str(to_ms(START)), "3", "0", "4200"],
        [a, str(to_ms(START + timedelta(minutes=10))), "3", "1", "4200"],
        [a, str(to_ms(START + 3 * DAY)), "1", "2", "4200"],
    ]


def test_all_modes_gives_quiz_and_cram_rows_the_state_the_card_was_in(tmp_path: Path) -> None:
    out = tmp_path / "reviews.csv"
    with Store.open(tmp_path / "data") as store:
        history(store)
        assert write_reviews_csv(store, out, ALL_MODES) == 6
    rows = read(out)[1:]
    states = [(row[0] == str(card_id_for("t/a")), row[3]) for row in rows]
    # a: new, (quiz while learning), learning, review, (cram while relearning); b: a quiz while new
    assert states == [(True, "0"), (True, "1"), (True, "1"), (False, "0"), (True, "2"), (True, "3")]


def test_times_are_utc_milliseconds(tmp_path: Path) -> None:
    out = tmp_path / "reviews.csv"
    with Store.open(tmp_path / "data") as store:
        review(store, "t/a", Rating.Good, START)
        write_reviews_csv(store, out)
    assert read(out)[1][1] == "1772442000000"  # 2026-03-02T09:00:00Z


def test_command(tmp_path: Path, capsys, isolated_env: Path) -> None:
    with Store.open(isolated_env) as store:
        history(store)
    out = tmp_path / "log.csv"
    assert main(["export", "reviews", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 3 reviews to {out}"
    assert main(["export", "reviews", str(out), "--all-modes"]) == 2  # an existing file is kept without --force
    assert "add --force" in capsys.readouterr().err and len(read(out)) == 4
    assert main(["export", "reviews", str(out), "--all-modes", "--force"]) == 0
    assert len(read(out)) == 7


def test_unwritable_output_is_a_user_error(tmp_path: Path, capsys, isolated_env: Path) -> None:
    assert main(["export", "reviews", str(tmp_path / "missing" / "log.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err
