"""`quizapp optimize` on a simulated learner whose memory is known, and saving to config.toml."""

from __future__ import annotations

import heapq
import random
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.cli import main
from quizapp.config import load_settings
from quizapp.errors import UserError
from quizapp.study import optimize
from quizapp.study.replay import replay
from quizapp.study.optimize import MIN_REVIEWS, OptimizeResult, Score, review_logs, run_optimize, score
from quizapp.settings_file import save_fsrs_parameters
from quizapp.study.clock import from_ms, to_ms
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import CardRow, NewReview, Store
from tests.study_helpers import START, settings

# A learner who forgets new cards far more slowly than FSRS's defaults assume.
LEARNER = (2.0, 6.0, 15.0, 40.0, *DEFAULT_PARAMETERS[4:])


def simulate(cards: int, days: int, seed: int = 7) -> tuple[list[CardRow], list[NewReview]]:
    """Ten new cards a day, scheduled by quizapp's engine; recall drawn from the learner's true memory."""
    rng = random.Random(seed)
    scheduling = Scheduling(settings())
    truth = Scheduler(parameters=LEARNER, enable_fuzzing=False)
    queue = [(START + timedelta(days=i // 10, minutes=i), f"sim/c{i:04d}") for i in range(cards)]
    heapq.heapify(queue)
    rows: dict[str, CardRow] = {}
    memory: dict[str, Card] = {}
    reviews: list[NewReview] = []
    while queue and queue[0][0] < START + timedelta(days=days):
        now, key = heapq.heappop(queue)
        mind = memory.get(key) or Card(card_id=card_id_for(key), due=now)
        recall = truth.get_card_retrievability(mind, now) if mind.last_review else 0.6
        rating = rng.choice([Rating.Hard, *[Rating.Good] * 3, Rating.Easy]) if rng.random() < recall else Rating.Again
        memory[key], _ = truth.review_card(mind, rating, now)
        rows[key] = scheduling.review(key, "sim", rows.get(key), rating, now, None)
        reviews.append(NewReview(key, rows[key].card_id, int(rating), to_ms(now), 3000, "review"))
        heapq.heappush(queue, (max(now + timedelta(seconds=1), from_ms(rows[key].due_ms)), key))
    return list(rows.values()), reviews


def store_with(folder: Path, cards: int, days: int) -> Store:
    store = Store.open(folder)
    store.bulk_load(*simulate(cards, days))
    return store


@pytest.fixture(scope="module")
def learner_store(tmp_path_factory: pytest.TempPathFactory):
    """About 2,300 reviews of 250 cards over 200 days, about 1,500 of them usable by the optimizer."""
    store = store_with(tmp_path_factory.mktemp("learner"), cards=250, days=200)
    yield store
    store.close()


def test_log_loss_matches_the_optimizers_own(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("pandas")
    from fsrs import Optimizer

    with store_with(tmp_path, cards=40, days=60) as store:
        logs = review_logs(store)
    for parameters in (DEFAULT_PARAMETERS, LEARNER):
        ours = score(logs, parameters)
        assert ours.reviews > 100
        assert ours.log_loss == pytest.approx(Optimizer(logs)._compute_batch_loss(parameters=list(parameters)),
                                              rel=1e-9)


def test_fit_beats_the_defaults_and_is_saved_only_when_asked(learner_store: Store, tmp_path: Path,
                                                              capsys) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("pandas")
    config = tmp_path / "config.toml"
    config.write_text("# mine\ndesired_retention = 0.85\n")
    assert len(review_logs(learner_store)) > 2000

    text = run_optimize(learner_store, settings(), config, save=True)

    table = dict(line.split(None, 1) for line in text.splitlines() if line.strip().startswith(("w", "log")))
    old_loss, new_loss = (float(v) for v in table["log"].split()[1:3])
    assert new_loss < old_loss - 0.005
    new = load_settings(config, env={}).fsrs_parameters
    assert new is not None and len(new) == len(DEFAULT_PARAMETERS)
    assert all(new[i] > DEFAULT_PARAMETERS[i] for i in range(3))  # new cards are remembered longer
    assert [float(v) for v in table["w2"].split()] == [DEFAULT_PARAMETERS[2], new[2]]
    assert load_settings(config, env={}).desired_retention == 0.85
    assert config.read_text().startswith("# mine\ndesired_retention = 0.85\n")
    assert "saved as fsrs_parameters in" in text
    assert "fitting FSRS parameters to" in capsys.readouterr().err


def test_without_save_nothing_is_written(learner_store: Store, tmp_path: Path, monkeypatch) -> None:
    fitted = tuple(p * 1.01 for p in DEFAULT_PARAMETERS)
    result = OptimizeResult(10, DEFAULT_PARAMETERS, fitted, Score(600, 0.3), Score(600, 0.2))
    monkeypatch.setattr(optimize, "fit_parameters", lambda logs, current: result)
    monkeypatch.setattr(optimize, "require_optimizer", lambda: None)
    config = tmp_path / "config.toml"
    text = run_optimize(learner_store, settings(), config, save=False)
    assert "not saved: run `quizapp optimize --save`" in text
    assert "0.3000" in text and "0.2000" in text
    assert "\n Good (3)  2.3 days now, 2.3 days fitted" in text and "Again (1)  5 hours now, 5 hours fitted" in text
    assert not config.exists()


def test_save_recomputes_every_cards_memory_and_keeps_its_due_date(tmp_path: Path, monkeypatch, capsys,
                                                                   isolated_env: Path) -> None:
    store = Store.open(isolated_env)
    scheduling = Scheduling(settings())
    for key in ("sim/a", "sim/b", "sim/c"):
        for day, rating in ((0, Rating.Good), (1, Rating.Good), (4, Rating.Again), (5, Rating.Good)):
            now = START + timedelta(days=day)
            store.record(NewReview(key, card_id_for(key), int(rating), to_ms(now), 3000, "review"),
                         lambda before, key=key, rating=rating, now=now: scheduling.review(key, "sim", before, rating,
                                                                                             now, None))
    before = {row.key: row for row in store.cards()}
    result = OptimizeResult(12, DEFAULT_PARAMETERS, LEARNER, Score(600, 0.3), Score(600, 0.2))
    monkeypatch.setattr(optimize, "check_enough", lambda logs: 600)
    monkeypatch.setattr(optimize, "fit_parameters", lambda logs, current: result)
    monkeypatch.setattr(optimize, "require_optimizer", lambda: None)

    store.close()

    assert main(["optimize", "--save"]) == 0  # the store opened for writing, not read-only

    store = Store.open(isolated_env)
    after = {row.key: row for row in store.cards()}
    expected = replay(store.log(), store.events(), Scheduling(settings(fsrs_parameters=LEARNER))).states
    assert "of your 3 scheduled cards were recomputed" in capsys.readouterr().out
    assert {key: row.due_ms for key, row in after.items()} == {key: row.due_ms for key, row in before.items()}
    assert all(after[key].stability != before[key].stability for key in before)
    assert {key: (row.stability, row.difficulty) for key, row in after.items()} == \
        {key: (row.stability, row.difficulty) for key, row in expected.items()}
    store.close()


def test_worse_parameters_are_never_saved(learner_store: Store, tmp_path: Path, monkeypatch) -> None:
    result = OptimizeResult(10, DEFAULT_PARAMETERS, DEFAULT_PARAMETERS, Score(600, 0.3), Score(600, 0.31))
    monkeypatch.setattr(optimize, "fit_parameters", lambda logs, current: result)
    monkeypatch.setattr(optimize, "require_optimizer", lambda: None)
    text = run_optimize(learner_store, settings(), tmp_path / "config.toml", save=True)
    assert "no better than the current ones; nothing saved" in text
    assert not (tmp_path / "config.toml").exists()


def test_too_few_reviews_says_how_many_more(tmp_path: Path, capsys, isolated_env: Path) -> None:
    with store_with(isolated_env, cards=30, days=30) as store:
        usable = score(review_logs(store), DEFAULT_PARAMETERS).reviews
    assert 0 < usable < MIN_REVIEWS
    assert main(["optimize"]) == 2
    err = capsys.readouterr().err
    assert f"{usable} of your" in err and f"needs {MIN_REVIEWS}, so about {MIN_REVIEWS - usable} more" in err


def test_missing_torch_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(UserError) as caught:
        optimize.require_optimizer()
    assert "needs torch" in str(caught.value)
    assert 'pip install "quizapp[optimizer]"' in str(caught.value)


# --- config.toml ------------------------------------------------------------------------------------


def test_save_keeps_other_settings_and_comments(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("# my settings\nnew_per_day = 5  # fewer\ntheme = 'nord'\n")
    save_fsrs_parameters(config, [0.5, 1.25])
    assert config.read_text() == "# my settings\nnew_per_day = 5  # fewer\ntheme = 'nord'\nfsrs_parameters = [0.5, 1.25]\n"


def test_save_replaces_an_existing_value_over_several_lines(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("fsrs_parameters = [\n  1.0,  # first\n  2.0,\n]\nnew_per_day = 5\n")
    save_fsrs_parameters(config, [3.0])
    assert config.read_text() == "fsrs_parameters = [3.0]\nnew_per_day = 5\n"


def test_save_goes_before_any_table(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("theme = 'nord'\n[extra]\nx = 1\n")
    save_fsrs_parameters(config, [1.5])
    assert config.read_text() == "theme = 'nord'\nfsrs_parameters = [1.5]\n[extra]\nx = 1\n"


def test_save_creates_the_file_and_settings_pick_it_up(tmp_path: Path) -> None:
    config = tmp_path / "new" / "config.toml"
    save_fsrs_parameters(config, DEFAULT_PARAMETERS)
    assert load_settings(config, env={}).fsrs_parameters == tuple(DEFAULT_PARAMETERS)


def test_save_refuses_a_broken_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("theme = \n")
    with pytest.raises(UserError, match="not valid TOML"):
        save_fsrs_parameters(config, [1.0])
    assert config.read_text() == "theme = \n"
