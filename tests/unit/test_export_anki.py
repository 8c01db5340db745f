"""The Anki package as written: stable ids and GUIDs, note counts, tags, and the command."""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.errors import UserError
from quizapp.export.anki import ExportSummary, build_decks, export_anki, instance_seed, note_guid
from quizapp.export.anki_models import deck_id, deck_name, model_for, stable_id
from tests.study_helpers import FIXTURE_DECK, fixture_deck

T0 = 1_780_000_000.0


def notes(path: Path) -> list[tuple[str, int, str, str]]:
    """(guid, model id, tags, fields) of every note in a package."""
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(path) as archive:
            archive.extract("collection.anki2", folder)
        connection = sqlite3.connect(Path(folder) / "collection.anki2")
        try:
            return connection.execute("SELECT guid, mid, tags, flds FROM notes ORDER BY guid").fetchall()
        finally:
            connection.close()


def test_ids_and_guids_are_stable_and_distinct() -> None:
    assert stable_id("a") == stable_id("a") != stable_id("b")
    assert 2**30 <= stable_id("anything") < 2**31
    assert deck_id("mini") != deck_id("second")
    assert note_guid("mini/flash") == note_guid("mini/flash") != note_guid("mini/pick-one")
    assert note_guid("mini/gen", 1) != note_guid("mini/gen", 2) != note_guid("mini/gen")
    assert model_for("basic").model_id != model_for("cloze").model_id


def test_instance_seeds_are_fixed_by_key_and_number() -> None:
    seeds = [instance_seed("mini/gen", n) for n in range(1, 6)]
    assert seeds == [instance_seed("mini/gen", n) for n in range(1, 6)]
    assert len(set(seeds)) == 5 and all(0 <= s < 2**31 for s in seeds)
    assert instance_seed("other/gen", 1) != seeds[0]


def test_deck_names_nest_under_quizapp() -> None:
    assert deck_name("Batch norm") == "quizapp::Batch norm"
    assert deck_name("A::B") == "quizapp::A:B"
    assert deck_name("A:::B") == deck_name("A::::B") == "quizapp::A:B"  # no way into another deck


def test_two_exports_write_the_same_notes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    export_anki(fixture_deck(), first, timestamp=T0)
    export_anki(fixture_deck(), second, timestamp=T0 + 100)
    assert notes(first) == notes(second)


def test_counts_instances_and_topics(tmp_path: Path) -> None:
    deck = fixture_deck()
    _, summary = build_decks(deck, instances=4)
    assert summary.notes_by_deck == {"quizapp::A small deck with every card type": 9, "quizapp::Another topic": 2}
    assert summary.cards == 12  # the cloze note makes two cards
    _, only = build_decks(deck, ["second"], instances=0)
    assert only.notes == 2 and list(only.notes_by_deck) == ["quizapp::Another topic"]


def test_tags_come_from_card_and_topic(tmp_path: Path) -> None:
    path = tmp_path / "x.apkg"
    export_anki(fixture_deck(), path, timestamp=T0)
    by_guid = {guid: tags for guid, _, tags, _ in notes(path)}
    assert by_guid[note_guid("mini/flash")].split() == ["mini", "bn"]
    assert by_guid[note_guid("second/one")].split() == ["second"]


def test_math_becomes_mathjax_in_fields(tmp_path: Path) -> None:
    path = tmp_path / "x.apkg"
    export_anki(fixture_deck(), path, timestamp=T0)
    fields = {guid: flds.split("\x1f") for guid, _, _, flds in notes(path)}
    assert fields[note_guid("mini/number")][0] == r"What is \(\frac{3}{4}\)?"
    assert fields[note_guid("mini/number")][1].startswith("0.75 ")


def test_export_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    export_anki(fixture_deck(), tmp_path / "x.apkg", timestamp=T0)
    assert list(scratch.iterdir()) == []
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["x.apkg"]


@pytest.mark.parametrize("name", ["x.zip", "missing/x.apkg"])
def test_bad_output_paths_are_user_errors(tmp_path: Path, name: str) -> None:
    with pytest.raises(UserError):
        export_anki(fixture_deck(), tmp_path / name)


def test_command(tmp_path: Path, capsys, isolated_env) -> None:
    out = tmp_path / "deck.apkg"
    code = main(["export", "anki", str(out), "--no-builtin", "--content", str(FIXTURE_DECK),
                 "--topic", "mini", "--instances", "2"])
    assert code == 0
    assert "wrote 7 notes (8 cards) in 1 deck" in capsys.readouterr().out
    assert len(notes(out)) == 7


def test_summary_counts_agree_with_their_nouns(tmp_path: Path) -> None:
    """"wrote 1 notes (1 cards)" for a one-card export."""
    summary = ExportSummary(tmp_path / "x.apkg", {"quizapp::a": 1}, cards=1)
    assert summary.text().startswith(f"wrote 1 note (1 card) in 1 deck to {tmp_path / 'x.apkg'}")
    summary = ExportSummary(tmp_path / "x.apkg", {"quizapp::a": 1_500, "quizapp::b": 2}, cards=1_503)
    assert summary.text().startswith("wrote 1,502 notes (1,503 cards) in 2 decks")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--topic", "minii"], "no topic 'minii'"),
        (["--instances", "-1"], "--instances must be between 0 and 100"),
    ],
)
def test_command_errors(tmp_path: Path, capsys, isolated_env, args: list[str], message: str) -> None:
    code = main(["export", "anki", str(tmp_path / "x.apkg"), "--no-builtin", "--content", str(FIXTURE_DECK), *args])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.apkg").exists()


def test_an_open_question_is_a_basic_note_with_the_key_points_listed(tmp_path: Path) -> None:
    from quizapp.deck import load_deck

    deck = load_deck([FIXTURE_DECK.parent / "open"])
    path = tmp_path / "open.apkg"
    export_anki(deck, path, timestamp=T0)
    by_guid = {guid: (mid, flds.split("\x1f")) for guid, mid, _, flds in notes(path)}
    model, (front, back, *_rest, key) = by_guid[note_guid("interview/why-bn")]
    assert model == model_for("basic").model_id and key == "interview/why-bn"
    assert front == "Why does batch normalization make deep networks easier to train?"
    points = back.split("<ul>", 1)[1].split("</ul>", 1)[0]
    assert points.count("<li>") == 4 and "<li>Less sensitive to the initialisation</li>" in points
    assert "<b>Model answer</b>" in back and "regularizes a little." in back


HOSTILE_HTML = """topic: hostile-html
title: Hostile HTML
summary: "<img src=x onerror=alert(document.cookie)> <script>alert(1)</script> **summary**"
cards:
  - id: placeholder
    type: flashcard
    front: "Literal QZMATH7QZ text"
    back: "Math $x$ then QZMATH0QZ"
"""


def test_a_topic_summary_is_not_raw_html_in_the_deck_description(tmp_path: Path) -> None:
    """Anki shows a deck description as HTML: a summary's <script> or onerror= would run in Anki."""
    from quizapp.deck import load_deck

    (tmp_path / "t.yaml").write_text(HOSTILE_HTML, encoding="utf-8")
    decks, _ = build_decks(load_deck([tmp_path / "t.yaml"]))
    description = decks[0].description
    assert "<img" not in description and "<script" not in description
    assert "&lt;img src=x onerror=alert(document.cookie)&gt;" in description
    assert "<strong>summary</strong>" in description


def test_text_that_looks_like_a_math_placeholder_is_kept_as_written(tmp_path: Path) -> None:
    """A card holding "QZMATH7QZ" made the export fail with IndexError, and "QZMATH0QZ" became the math."""
    from quizapp.deck import load_deck

    (tmp_path / "t.yaml").write_text(HOSTILE_HTML, encoding="utf-8")
    path = tmp_path / "x.apkg"
    export_anki(load_deck([tmp_path / "t.yaml"]), path, timestamp=T0)
    front, back = dict((guid, flds.split("\x1f")) for guid, _, _, flds in notes(path))[
        note_guid("hostile-html/placeholder")][:2]
    assert front == "Literal QZMATH7QZ text"
    assert back == r"Math \(x\) then QZMATH0QZ"


def package_rows(path: Path, sql: str) -> list[tuple]:
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(path) as archive:
            archive.extract("collection.anki2", folder)
        connection = sqlite3.connect(Path(folder) / "collection.anki2")
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()


def export_command(out: Path, *extra: str) -> list[str]:
    return ["export", "anki", str(out), "--no-builtin", "--content", str(FIXTURE_DECK), "--instances", "2", *extra]


def reviewed(data: Path, keys: list[str]) -> None:
    from datetime import datetime, timezone

    from fsrs import Rating

    from quizapp.study.scheduling import Scheduling, card_id_for
    from quizapp.study.store import NewReview, Store
    from tests.study_helpers import settings

    moment = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    scheduling = Scheduling(settings())
    with Store.open(data) as store:
        for n, key in enumerate(keys):
            store.record(NewReview(key, card_id_for(key), 4, 1_772_442_000_000 + n, 5000, "review"),
                         lambda before, key=key: scheduling.review(key, key.split("/")[0], before, Rating.Easy,
                                                                   moment, None))


def test_scheduling_carries_reviews_and_the_default_export_none(tmp_path: Path, capsys, isolated_env) -> None:
    reviewed(isolated_env, ["mini/flash", "mini/blanks#c2", "mini/gen"])
    assert main(export_command(tmp_path / "plain.apkg")) == 0
    assert main(export_command(tmp_path / "progress.apkg", "--scheduling")) == 0
    out = capsys.readouterr().out
    assert "with the schedule of 2 cards and 2 review log entries" in out
    assert "1 generated card with a schedule left new" in out and '"Import any learning progress"' in out

    assert package_rows(tmp_path / "plain.apkg", "SELECT COUNT(*) FROM revlog") == [(0,)]
    assert package_rows(tmp_path / "plain.apkg", "SELECT DISTINCT type, queue, ivl, reps, data FROM cards") == [
        (0, 0, 0, 0, "")]
    assert package_rows(tmp_path / "plain.apkg", "SELECT crt FROM col") == [(1411124400,)]  # genanki's, as before
    rows = package_rows(tmp_path / "progress.apkg", "SELECT ord, type, queue, reps FROM cards WHERE type > 0 ORDER BY ord")
    assert rows == [(0, 2, 2, 1), (1, 2, 2, 1)]  # the flashcard and the cloze card's second deletion
    assert package_rows(tmp_path / "progress.apkg", "SELECT ease FROM revlog") == [(4,), (4,)]


def test_scheduling_without_reviews_exports_every_card_new(tmp_path: Path, capsys, isolated_env) -> None:
    assert main(export_command(tmp_path / "x.apkg", "--scheduling")) == 0
    assert "with the schedule of 0 cards and 0 review log entries" in capsys.readouterr().out
    assert package_rows(tmp_path / "x.apkg", "SELECT DISTINCT type, queue FROM cards") == [(0, 0)]
    assert not isolated_env.exists()  # read-only: no data folder made


def test_scheduling_from_an_unreadable_store_is_a_clear_error(tmp_path: Path, capsys, isolated_env) -> None:
    isolated_env.mkdir()
    (isolated_env / "quizapp.db").write_bytes(b"not a database at all" * 100)
    assert main(export_command(tmp_path / "x.apkg", "--scheduling")) == 2
    err = capsys.readouterr().err
    assert "is not a usable quizapp database" in err and "Traceback" not in err
    assert not (tmp_path / "x.apkg").exists()


def test_scheduling_from_a_damaged_store_is_a_clear_error(tmp_path: Path, capsys, isolated_env) -> None:
    """The file opens and names its tables, but the review log's pages are garbage."""
    reviewed(isolated_env, [f"mini/c{n}" for n in range(300)])  # several pages of review log
    database = isolated_env / "quizapp.db"
    connection = sqlite3.connect(database)
    try:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = [n for (n,) in connection.execute("SELECT pageno FROM dbstat WHERE name = 'review_log' "
                                                  "AND pagetype = 'leaf'")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the review log's pages")
    finally:
        connection.close()
    data = bytearray(database.read_bytes())
    for page in pages:
        data[(page - 1) * size:page * size] = b"\xff" * size
    database.write_bytes(bytes(data))
    assert main(export_command(tmp_path / "x.apkg", "--scheduling")) == 2
    err = capsys.readouterr().err
    assert "quizapp.db cannot be read (database disk image is malformed); nothing was exported" in err
    assert "Traceback" not in err and not (tmp_path / "x.apkg").exists()
