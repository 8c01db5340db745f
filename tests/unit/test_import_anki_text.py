"""`quizapp import anki-text`: a handcrafted Anki "Notes in Plain Text" export -> a content file that validates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from quizapp.cli import main
from quizapp.deck import load_deck
from quizapp.deck.plaintext import markdown_to_text
from quizapp.errors import UserError
from quizapp.importing.anki_text import card_id_for_note, import_anki_text

EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:6\n"
    "Ab1!xY\tBasic\tML::Batch norm\tWhat does <b>BN</b> normalise?<br>Think\tThe mini-batch &amp; \\(\\mu &lt; 1\\)"
    "\tbn ml::basics\n"
    'Cd2#zW\tCloze\tML::Batch norm\t"BN uses {{c1::batch}} statistics,\nnot {{c2::\\(\\sigma^2\\)}}"\t<i>per feature</i>\t\n'
    "Ef3$vU\tBasic (and reversed card)\tML::Batch norm\t<ul><li>one</li><li>two</li></ul>\t<code>x*y</code>\t\n"
    "Gh4%tS\tBasic\tML::Batch norm\tNo back\t\t\n"
)


def write(tmp_path: Path, text: str | bytes, name: str = "notes.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def cards(path: Path) -> dict[str, dict]:
    return {card["id"]: card for card in yaml.safe_load(path.read_text())["cards"]}


def test_export_becomes_a_valid_content_file(tmp_path: Path) -> None:
    result = import_anki_text(write(tmp_path, EXPORT), "anki-bn", tmp_path / "out")
    assert result.path == tmp_path / "out" / "anki-bn.yaml"
    assert result.cards == 4  # the reversed note makes two
    assert result.warnings == [f"{tmp_path / 'notes.txt'}:11: skipped: a Basic needs a front and a back "
                               "(the first two fields)"]
    deck = load_deck([result.path])
    assert not deck.errors
    topic = deck.topic("anki-bn")
    assert topic.title == "Batch norm"
    assert [card.type for card in topic.cards] == ["flashcard", "cloze", "flashcard", "flashcard"]

    flash, cloze, listed, reverse = (card.card for card in topic.cards)
    assert flash.front == "What does **BN** normalise?\n\nThink"
    assert flash.back == "The mini-batch & $\\mu < 1$"
    assert flash.tags == ["bn", "ml::basics"]
    assert cloze.text == "BN uses {{c1::batch}} statistics, not {{c2::$\\sigma^2$}}"
    assert cloze.explanation == "*per feature*"
    assert listed.front == "- one\n- two" and listed.back == "`x*y`"
    assert (reverse.id, reverse.front, reverse.back) == (listed.id + "-reverse", "`x*y`", "- one\n- two")


def test_card_ids_come_from_the_guid_and_are_stable(tmp_path: Path) -> None:
    first = import_anki_text(write(tmp_path, EXPORT), "one", tmp_path)
    second = import_anki_text(write(tmp_path, EXPORT.replace("Think", "Recall")), "two", tmp_path)
    assert list(cards(first.path)) == list(cards(second.path))
    assert card_id_for_note("Ab1!xY", "x") == card_id_for_note("Ab1!xY", "y") != card_id_for_note("aB1!xY", "x")
    assert card_id_for_note("Ab1!xY", "x").startswith("ab1-xy-")


def test_without_guids_ids_come_from_the_text(tmp_path: Path) -> None:
    path = write(tmp_path, "#separator:tab\n#html:false\nWhat is dropout?\tZeroing units\nSame\tA\nSame\tA\n")
    ids = list(cards(import_anki_text(path, "plain", tmp_path).path))
    assert ids[0].startswith("what-is-dropout-")
    assert ids[2] == ids[1] + "-2"


def test_cloze_is_recognised_without_a_notetype_column(tmp_path: Path) -> None:
    path = write(tmp_path, "#separator:tab\n#html:true\nA {{c1::cloze}} here\textra\n")
    (card,) = cards(import_anki_text(path, "c", tmp_path).path).values()
    assert card["type"] == "cloze" and card["explanation"] == "extra"


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "taken.yaml").write_text("keep me")
    with pytest.raises(UserError, match="already exists"):
        import_anki_text(write(tmp_path, EXPORT), "taken", tmp_path)
    assert (tmp_path / "taken.yaml").read_text() == "keep me"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("front,back\n", "notes.txt:1: no tab between fields"),
        ("#separator:tab\n#html:true\na\tb\nc\n", "notes.txt:4: 1 columns, but line 3 has 2"),
        ("#separator:tab\n#guid column:4\na\tb\n", "notes.txt:2: the guid column is 4, but line 3 has only 2"),
        ("#separator:tab\n#guid column:x\na\tb\n", "notes.txt:2: '#guid column:' needs a column number"),
        ("#separator:tab\n#guid column:²\na\tb\n", "notes.txt:2: '#guid column:' needs a column number"),
        ("#separator:tab\n#guid column:" + "9" * 5000 + "\na\tb\n", "notes.txt:2: '#guid column:' needs a column"),
        ("#separator:weird\na\tb\n", "notes.txt:1: unknown separator 'weird'"),
        ("#separator:tab\n#html:true\n", "no notes in the file"),
        (b"#separator:tab\na\tb\n\x89PNG\x00\x00", "notes.txt:3: binary data"),
        (b"#separator:tab\na\tb\nc\t\xff\xfe\n", "notes.txt:3: not UTF-8 text"),
        ('#separator:tab\na\t"unterminated\nmore\n', "notes.txt:2: cannot read the fields"),
        ("#separator:tab\n#html:true\n#notetype column:1\nBasic\tonly\n", "no note could be turned into a card"),
    ],
)
def test_bad_input_is_a_clear_user_error(tmp_path: Path, content: str | bytes, message: str) -> None:
    with pytest.raises(UserError, match=None) as caught:
        import_anki_text(write(tmp_path, content), "bad", tmp_path / "out")
    assert message in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_bad_topic_id(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not a valid topic id"):
        import_anki_text(write(tmp_path, EXPORT), "Bad Topic", tmp_path)


def test_command_writes_to_the_content_folder(tmp_path: Path, capsys, isolated_env: Path) -> None:
    source = write(tmp_path, EXPORT)
    assert main(["import", "anki-text", str(source), "--topic", "from-anki", "--title", "From Anki"]) == 0
    out, err = capsys.readouterr()
    target = isolated_env / "content" / "from-anki.yaml"
    assert f"wrote 4 cards to {target}" in out and "notes.txt:11: skipped" in err
    assert main(["validate", str(target)]) == 0
    assert yaml.safe_load(target.read_text())["title"] == "From Anki"

    assert main(["import", "anki-text", str(source), "--topic", "from-anki"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_command_refuses_a_topic_that_is_already_loaded(tmp_path: Path, capsys, isolated_env: Path) -> None:
    assert main(["import", "anki-text", str(write(tmp_path, EXPORT)), "--topic", "batch-norm",
                 "--out", str(tmp_path / "out")]) == 2
    assert "topic 'batch-norm' already exists" in capsys.readouterr().err


def test_command_reports_bad_files_without_a_traceback(tmp_path: Path, capsys, isolated_env: Path) -> None:
    assert main(["import", "anki-text", str(write(tmp_path, b"\x00\x01junk")), "--topic", "x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quizapp: ") and "Traceback" not in err
    assert main(["import", "anki-text", str(tmp_path / "missing.txt"), "--topic", "x"]) == 2
    assert "cannot read" in capsys.readouterr().err


@pytest.mark.parametrize("front", ["What is QZMATH3QZ?", "QZMATH0QZ or \\(y\\)",
                                   "&#81;ZMATH0QZ or \\(y\\)"])
def test_a_note_holding_the_math_placeholder_word_keeps_its_text(tmp_path: Path, front: str) -> None:
    # The math of a field is set aside behind a placeholder while its HTML is converted: a note's own
    # 'QZMATH3QZ' ended the import in IndexError, and 'QZMATH0QZ' was replaced by the note's math.
    source = write(tmp_path, f"#separator:tab\n#html:true\n{front}\tthe \\(x^2\\) answer\n")
    result = import_anki_text(source, "placeholders", tmp_path / "out")
    (card,) = cards(result.path).values()
    assert card["front"].startswith(("What is QZMATH3QZ?", "QZMATH0QZ or $y$"))
    assert card["back"] == "the $x^2$ answer"


def test_a_pipe_or_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    # A shared 'notes.txt' that is a named pipe blocked the import for ever; a huge one was read whole into memory
    import os

    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(UserError, match="pipe.txt is not a regular file"):
        import_anki_text(pipe, "piped", tmp_path / "out")
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(3 * 2**30)  # sparse: 3 GB that take no room on disk
    with pytest.raises(UserError, match=r"huge.txt is 3,221 MB; an Anki export imported here is at most 32 MB"):
        import_anki_text(huge, "huge", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_file_that_became_a_pipe_after_its_check_is_refused_without_waiting(tmp_path: Path, monkeypatch) -> None:
    """The file was checked by name and then opened: a pipe put there in between waited for a writer for ever."""
    import os

    from tests.pipes import call_without_waiting, looks_regular_by_name

    pipe = tmp_path / "notes.txt"
    os.mkfifo(pipe)
    looks_regular_by_name(pipe, monkeypatch)
    with pytest.raises(UserError, match=r"notes.txt is not a regular file \(a named pipe \(FIFO\)\)"):
        call_without_waiting(lambda: import_anki_text(pipe, "piped", tmp_path / "out"), pipe)


def note_cards(tmp_path: Path, notetype: str, *fields: str) -> list[dict]:
    export = "#separator:tab\n#html:true\n#notetype column:1\n" + "\t".join([notetype, *fields]) + "\n"
    tmp_path.mkdir(exist_ok=True)
    result = import_anki_text(write(tmp_path, export), "n", tmp_path / "out")
    assert not load_deck([result.path]).errors
    return list(cards(result.path).values())


def test_a_note_with_a_field_over_128_kb_is_skipped_not_the_whole_export(tmp_path: Path) -> None:
    """Python's csv refuses such a field, and the import failed, saying a quote was not closed."""
    path = write(tmp_path, "#separator:tab\nfirst\tone\n" + "x" * 200_000 + "\tlong\nlast\tthree\n")
    result = import_anki_text(path, "long", tmp_path / "out")
    assert [card["front"] for card in cards(result.path).values()] == ["first", "last"]
    (warning,) = result.warnings
    assert warning.startswith(f"{path}:3: skipped: front: ") and "20000 characters" in warning


def test_an_optional_reversed_note_makes_the_reverse_only_when_asked(tmp_path: Path) -> None:
    (forward,) = note_cards(tmp_path / "no", "Basic (optional reversed card)", "chat", "cat", "")
    assert (forward["front"], forward["back"]) == ("chat", "cat") and "explanation" not in forward
    forward, reverse = note_cards(tmp_path / "yes", "Basic (optional reversed card)", "chat", "cat", "y")
    assert (reverse["front"], reverse["back"]) == ("cat", "chat") and "explanation" not in reverse


def test_fields_past_front_and_back_become_the_explanation(tmp_path: Path) -> None:
    (card,) = note_cards(tmp_path, "Vocab", "chat", "cat", "<i>le</i> chat", "", "Larousse")
    assert card["explanation"] == "*le* chat\n\nLarousse"
    (cloze,) = note_cards(tmp_path / "c", "Cloze", "a {{c1::b}}", "extra", "source")
    assert cloze["explanation"] == "extra\n\nsource"
    # quizapp's own export read back: the choice's answer and feedback and the numeric's solution are kept,
    # its Sources and Key (bookkeeping) are not
    (choice,) = note_cards(tmp_path / "q", "quizapp choice", "Pick?", "a) x<br>b) y", "b", "x is wrong", "why",
                           "Bishop", "t/k")
    assert choice["explanation"] == "b\n\nx is wrong\n\nwhy"
    (numeric,) = note_cards(tmp_path / "n", "quizapp numeric", "3/4?", "0.75", "3 over 4", "", "src", "t/n")
    assert numeric["explanation"] == "3 over 4"


def test_an_html_table_becomes_a_markdown_table(tmp_path: Path) -> None:
    table = "<table><tbody><tr><th>op</th><th>cost</th></tr><tr><td>a|b</td><td>O(<i>n</i>)<br>worst</td></tr></tbody></table>"
    (card,) = note_cards(tmp_path, "Basic", "Costs?", table)
    assert card["back"] == "| op | cost |\n| --- | --- |\n| a\\|b | O(*n*) worst |"
    assert markdown_to_text(card["back"]).splitlines()[0].split() == ["op", "cost"]


@pytest.mark.parametrize(("table", "rows"), [
    ("<table><td>a<td>b</table>", [["a", "b"]]),  # cells and rows left open, as hand-written HTML does
    ("<table><tr><td><ul><li>x</li><li>y</li></ul></td><td><pre>p<br>q</pre></td></tr></table>", [["x y", "p q"]]),
    ("<table><tr><td>in<table><tr><td>n1</td><td>n2</td></tr></table></td></tr><tr><td>2</td></tr></table>",
     [["in n1 n2"], ["2"]]),
])
def test_what_would_break_a_table_row_stays_inside_its_cell(tmp_path: Path, table: str, rows: list) -> None:
    (card,) = note_cards(tmp_path, "Basic", "Table?", table)
    lines = card["back"].splitlines()
    assert lines[1].startswith("| --- |")
    assert [[" ".join(cell.split()) for cell in line.strip("|").split("|")] for line in lines[:1] + lines[2:]] == rows


def test_media_the_notes_name_are_listed_in_one_warning(tmp_path: Path) -> None:
    export = ('#separator:tab\n#html:true\nA <img src="cat.png">\t[sound:miaou.mp3]\n'
              "B <img src=cat.png>\tb\n")
    result = import_anki_text(write(tmp_path, export), "m", tmp_path / "out")
    assert result.cards == 2
    assert len(result.warnings) == 1 and "2 media files (cat.png, miaou.mp3) not imported" in result.warnings[0]


def test_a_media_file_name_of_thousands_of_letters_is_quoted_by_its_start(tmp_path: Path) -> None:
    name = "a" * 10_000 + ".png"
    result = import_anki_text(write(tmp_path, f'#separator:tab\n#html:true\nA <img src="{name}">\tb\n'), "m",
                              tmp_path / "out")
    assert len(result.warnings) == 1 and len(result.warnings[0]) < 300 and f"({'a' * 57}...)" in result.warnings[0]


def test_notes_from_several_decks_keep_their_deck_as_a_tag(tmp_path: Path) -> None:
    export = ("#separator:tab\n#html:true\n#deck column:1\n#tags column:4\n"
              "Lang::Vocab\tchat\tcat\tnoun\nLang::Irregular verbs\têtre\tto be\t\n")
    result = import_anki_text(write(tmp_path, export), "french", tmp_path / "out")
    assert [card.get("tags") for card in cards(result.path).values()] == [
        ["noun", "Lang::Vocab"], ["Lang::Irregular-verbs"]]
    (one,) = cards(import_anki_text(write(tmp_path, export.split("Lang::Irr")[0]), "one", tmp_path / "out").path).values()
    assert one["tags"] == ["noun"]  # one deck: it is the topic, no tag needed


@pytest.mark.parametrize(("back", "reason"), [
    ("<code>&amp;#x202E;</code>", "back: bidirectional control character U+202E (written '&#x202E;')"),
    ("\\(" + "{" * 41 + "x" + "}" * 41 + "\\)", "back: math nested 41 groups deep cannot be drawn"),
    ("\\( a $ b \\)", "its math \\(a $ b\\) holds a $, which would end it early"),
    ("\\(x \\\\\\)", "its math \\(x \\\\\\) ends in a backslash"),
    ("\\(x\\)5", "its math $x$ would not be read as that formula"),
    ("\\(a\\)\\(b\\)", "its math $b$ would not be read as that formula"),
])
def test_a_note_the_loader_would_refuse_is_skipped_at_its_line(tmp_path: Path, back: str, reason: str) -> None:
    """One such note failed the whole import ("the converted file does not validate ... a bug"), naming a
    temporary file that was gone; `\\( a $ b \\)` was written as the broken math `$a $ b$`."""
    path = write(tmp_path, f"#separator:tab\n#html:true\nok\tfine\nQ\t{back}\nlast\tthree\n")
    result = import_anki_text(path, "odd", tmp_path / "out")
    assert [card["front"] for card in cards(result.path).values()] == ["ok", "last"]
    (warning,) = result.warnings
    assert warning.startswith(f"{path}:4: skipped: {reason}"), warning
    assert not load_deck([result.path]).errors


@pytest.mark.parametrize(("field", "shown"), [
    ("&amp;lt; and &amp;amp; and &amp;#x41; &amp; done", "&lt; and &amp; and &#x41; & done"),
    ("<code>&amp;lt;</code>", "&lt;"),
])
def test_text_that_looks_like_a_character_reference_stays_text(tmp_path: Path, field: str, shown: str) -> None:
    """Literal `&lt;` was written as `&lt;`, which the card then showed as `<`."""
    (card,) = note_cards(tmp_path, "Basic", "Q", field)
    assert markdown_to_text(card["back"]) == shown


@pytest.mark.parametrize(("field", "markdown"), [
    ('"<pre>\n```\n</pre>after <b>b</b>"', "````\n```\n````\n\nafter **b**"),
    ("<pre>a ```` b</pre>", "`````\na ```` b\n`````"),
    ("<code>a`b</code> and <code>`</code>", "``a`b`` and `` ` ``"),
])
def test_code_holding_backticks_keeps_the_rest_of_the_field(tmp_path: Path, field: str, markdown: str) -> None:
    """A fence of three around a line of ``` closed there and opened a fence that swallowed the rest."""
    (card,) = note_cards(tmp_path, "Basic", "Q", field)
    assert card["back"] == markdown
