"""`quizapp validate`, `schema`, `new` and `topics` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.cli import main

GOOD = "topic: t\ntitle: T\ncards:\n  - {id: a, type: flashcard, front: f, back: b}\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_clean_folder(tmp_path: Path, capsys, isolated_env) -> None:
    (tmp_path / "t.yaml").write_text(GOOD)
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 0
    assert out.strip() == "no errors in 1 file; 1 card OK"


def test_validate_reports_every_error_and_a_summary(tmp_path: Path, capsys, isolated_env) -> None:
    (tmp_path / "a.yaml").write_text(GOOD.replace("back: b", "bak: b"))
    (tmp_path / "b.yaml").write_text("topic: u\ntitle: U\ncards:\n  - {id: x, type: numeric, prompt: p, answer: abc}\n"
                                     "  - {id: y, type: flashcard, front: f, back: b}\n")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    lines = out.strip().splitlines()
    assert code == 1
    assert lines[0].startswith(f"{tmp_path / 'a.yaml'}:4:") and "unknown field 'bak' (did you mean 'back'?)" in lines[0]
    assert lines[-1] == "2 errors in 2 files; 1 card OK"


def test_validate_default_is_all_loaded_content(tmp_path: Path, capsys, isolated_env, monkeypatch) -> None:
    (tmp_path / "t.yaml").write_text(GOOD)
    monkeypatch.setenv("QUIZAPP_CONTENT", str(tmp_path))
    code, out, _ = run(capsys, "validate", "--no-builtin")
    assert code == 0 and "1 card OK" in out


def test_user_topic_clashing_with_builtin_names_both(tmp_path: Path, capsys, isolated_env, repo) -> None:
    builtin = sorted((repo / "content").glob("*.yaml"))
    if not builtin:
        pytest.fail("the built-in deck is empty")
    slug = builtin[0].stem
    (tmp_path / "mine.yaml").write_text(GOOD.replace("topic: t", f"topic: {slug}"))
    code, out, _ = run(capsys, "validate")  # nothing given: everything that would be loaded
    code, out, _ = run(capsys, "--content", str(tmp_path), "validate")
    assert code == 1
    assert f"{tmp_path / 'mine.yaml'}:1:" in out and str(builtin[0]) in out


def test_schema_is_json_and_matches_the_committed_copy(capsys, repo) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "quizapp content file"
    assert set(schema["properties"]) == {"topic", "title", "summary", "sources", "glossary", "cards"}
    assert json.loads((repo / "content" / "quizapp-content.schema.json").read_text()) == schema


def test_new_writes_a_starter_that_validates(tmp_path: Path, capsys, isolated_env) -> None:
    code, out, _ = run(capsys, "new", "my-topic", "--content", str(tmp_path))
    path = tmp_path / "my-topic.yaml"
    assert code == 0 and path.exists() and (tmp_path / "quizapp-content.schema.json").exists()
    assert path.read_text().startswith("# yaml-language-server: $schema=./quizapp-content.schema.json")
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0, out
    # counted as `quizapp topics` counts them: "cards" are what the app studies, one per cloze deletion
    assert "8 cards OK, from 7 notes (each cloze deletion is a card)" in out


def test_new_goes_to_the_user_content_folder_and_never_overwrites(capsys, isolated_env: Path) -> None:
    assert run(capsys, "new", "dropout")[0] == 0
    path = isolated_env / "content" / "dropout.yaml"
    path.write_text("# my edits\n" + path.read_text())
    code, _, err = run(capsys, "new", "dropout")
    assert code == 2 and "already exists" in err
    assert path.read_text().startswith("# my edits")


def test_new_rejects_a_bad_topic_id(capsys, isolated_env) -> None:
    code, _, err = run(capsys, "new", "My Topic")
    assert code == 2 and "not a valid topic id" in err


def test_new_and_import_reject_a_topic_id_too_long_for_a_content_file(tmp_path: Path, capsys, isolated_env) -> None:
    """300 letters ended in an OSError traceback (file name too long); 65 wrote a file validate refuses."""
    export = tmp_path / "notes.txt"
    export.write_text("front\tback\n")
    for length in (65, 300):
        for command in (["new", "a" * length], ["import", "anki-text", str(export), "--topic", "a" * length]):
            code, _, err = run(capsys, *command)
            assert (code, err) == (2, f"quizapp: the topic id is too long ({length} characters): at most 64\n")
    assert run(capsys, "new", "a" * 64)[0] == 0


def test_topics_json_counts_by_type(tmp_path: Path, capsys, isolated_env) -> None:
    (tmp_path / "t.yaml").write_text(GOOD + "  - {id: c, type: cloze, text: '{{c1::x}} and {{c2::y}}'}\n")
    code, out, _ = run(capsys, "topics", "--json", "--no-builtin", "--content", str(tmp_path))
    (row,) = json.loads(out)
    # cards as the home screen counts them (each cloze deletion is one); notes and types by note
    assert code == 0 and row["topic"] == "t" and row["cards"] == 3 and row["notes"] == 2
    assert row["by_type"] == {"flashcard": 1, "choice": 0, "numeric": 0, "cloze": 1, "generated": 0, "template": 0,
                              "code": 0, "open": 0}
    code, out, _ = run(capsys, "topics", "--no-builtin", "--content", str(tmp_path))
    assert "1 topic, 3 cards from 2 notes" in out
