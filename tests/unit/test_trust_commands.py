"""No command destroys data, and bad arguments get a message: the data-loss and argument findings of the
hostile review, through the real command line."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.errors import UserError
from quizapp.safewrite import atomic_write, write_text
from quizapp.study.store import Store
from tests.study_helpers import FIXTURE_DECK


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--no-builtin", "--content", str(FIXTURE_DECK), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database(isolated_env: Path) -> Path:
    with Store.open(isolated_env):
        pass
    (isolated_env / "quizapp.db-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(28))
    (isolated_env / "quizapp.db-shm").write_bytes(bytes(32))
    return isolated_env / "quizapp.db"


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize("command", [["export", "reviews"], ["export", "reviews", "--force"]])
def test_export_reviews_never_writes_over_the_database(capsys, database: Path, suffix: str, command) -> None:
    target = database.with_name(database.name + suffix)
    before = digest(target)
    code, out, err = run(capsys, *command, str(target))
    assert code == 2 and out == ""
    assert "is the review database" in err and digest(target) == before


def test_export_anki_never_writes_over_the_database_even_by_another_name(capsys, database: Path,
                                                                        tmp_path: Path) -> None:
    link = tmp_path / "innocent.apkg"
    link.symlink_to(database)
    before = digest(database)
    assert run(capsys, "export", "anki", str(link), "--force")[0] == 2
    copy = tmp_path / "copy.apkg"
    copy.write_bytes(database.read_bytes())  # any SQLite database, not only this one
    code, _, err = run(capsys, "export", "anki", str(copy), "--force")
    assert code == 2 and "is an SQLite database" in err
    assert digest(database) == before and digest(copy) == before


def test_an_existing_file_is_kept_without_force_and_replaced_with_it(capsys, database: Path, tmp_path: Path) -> None:
    out = tmp_path / "deck.apkg"
    out.write_text("mine")
    code, _, err = run(capsys, "export", "anki", str(out))
    assert code == 2 and "already exists; nothing was written (add --force to replace it)" in err
    assert out.read_text() == "mine"
    assert run(capsys, "export", "anki", str(out), "--force")[0] == 0
    assert out.read_bytes()[:2] == b"PK" and not list(tmp_path.glob(".deck.apkg*"))  # no temporary left


def test_new_refuses_to_overwrite_a_topic_file(capsys, isolated_env: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert main(["new", "dropout", "--content", str(folder)]) == 0
    (folder / "dropout.yaml").write_text("edited")
    assert main(["new", "dropout", "--content", str(folder)]) == 2
    assert (folder / "dropout.yaml").read_text() == "edited"
    assert main(["new", "dropout", "--content", str(folder), "--force"]) == 0
    assert "topic: dropout" in (folder / "dropout.yaml").read_text()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target, force=True) as partial:
            partial.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_new_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_text(tmp_path / "new.txt", "x", force=False)
        assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.txt"
        kept.write_text("y")
        kept.chmod(0o600)
        write_text(kept, "z", force=True)
        assert kept.stat().st_mode & 0o777 == 0o600 and kept.read_text() == "z"
    finally:
        os.umask(umask)


def test_a_folder_or_a_missing_folder_is_not_a_target(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="is a folder"):
        write_text(tmp_path, "x", force=True)
    with pytest.raises(UserError, match="does not exist"):
        write_text(tmp_path / "no" / "x.txt", "x", force=True)


# --- arguments ----------------------------------------------------------------------------------------


def test_a_negative_seed_is_a_usage_error_not_a_traceback(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "auc", "--seed", "-1", "0.5"])
    assert exit_.value.code == 2
    assert "argument --seed: must be from 0 to 2**63 - 1, not -1" in capsys.readouterr().err


@pytest.mark.parametrize("answer", ["-inf", "-1.7,-0.7"])
def test_an_answer_starting_with_a_dash_is_explained(capsys, answer: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["check", "auc", "--seed", "1", answer])
    assert exit_.value.code == 2
    assert "an answer that starts with '-' goes after '--'" in capsys.readouterr().err
    assert main(["check", "auc", "--seed", "1", "--", answer]) in {1, 2}  # read as an answer now
    assert "error:" not in capsys.readouterr().err


def test_new_refuses_a_topic_id_with_a_newline(capsys, isolated_env: Path, tmp_path: Path) -> None:
    assert main(["new", "abc\n", "--content", str(tmp_path)]) == 2
    assert "'abc\\n' is not a valid topic id" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_out_pointing_at_a_file_names_that_file(capsys, isolated_env: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("#separator:tab\nfront\tback\n")
    taken = tmp_path / "file"
    taken.write_text("x")
    code = main(["--no-builtin", "import", "anki-text", str(notes), "--topic", "mine", "--out", str(taken)])
    assert code == 2
    assert capsys.readouterr().err.strip() == (f"quizapp: --out {taken} is a file, not a folder: "
                                               "name the folder to write mine.yaml into")


def test_a_huge_import_is_refused_before_converting(capsys, isolated_env: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("#separator:tab\n" + "".join(f"q{i}\ta{i}\n" for i in range(200_000)))
    code = main(["--no-builtin", "import", "anki-text", str(notes), "--topic", "big", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "200,000 notes are too many for one topic" in err and "export one deck" in err
    assert not (tmp_path / "big.yaml").exists()


def test_import_shows_no_control_character_and_writes_none(capsys, isolated_env: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("#separator:tab\n#deck column:3\nfront\x1b[6n\tback\x07\tDeck\x1b]0;OWNED\x07\u202e\n")
    code = main(["--no-builtin", "import", "anki-text", str(notes), "--topic", "imp", "--out", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    written = (tmp_path / "imp.yaml").read_text()
    assert "\x1b" not in written and "\x07" not in written and "\u202e" not in written
    assert "front\\x1b\\[6n" in written  # shown, not lost
    assert main(["--no-builtin", "validate", str(tmp_path / "imp.yaml")]) == 0
