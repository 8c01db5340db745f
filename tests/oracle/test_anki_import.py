"""The Anki export, imported by Anki itself (the `anki` package): decks, counts, fields, updates in place;
and Anki's own "Notes in Plain Text" export read back by `quizapp import anki-text`.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from quizapp.deck import Deck, load_deck
from quizapp.export.anki import export_anki, instance_seed
from quizapp.importing.anki_text import import_anki_text
from quizapp.paths import builtin_content_dir
from tests.study_helpers import FIXTURE_DECK

anki_collection = pytest.importorskip("anki.collection")
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition  # noqa: E402

IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
T0 = 1_780_000_000.0  # a fixed export time; the "newer" export is later


@pytest.fixture
def collection(tmp: Path):
    col = anki_collection.Collection(str(tmp / "collection.anki2"))
    yield col
    col.close()


def load(folder: Path) -> Deck:
    deck = load_deck([folder])
    assert not deck.errors, [str(e) for e in deck.errors]
    return deck


def import_package(col, path: Path):
    options = anki_collection.ImportAnkiPackageOptions(with_scheduling=False, update_notes=IF_NEWER)
    request = anki_collection.ImportAnkiPackageRequest(package_path=str(path), options=options)
    return col.import_anki_package(request).log


def notes_in(col, deck_name: str) -> int:
    return len(col.find_notes(f'"deck:{deck_name}" -"deck:{deck_name}::*"'))


def fields(col, key: str) -> dict[str, str]:
    (note_id,) = col.find_notes(f'"Key:{key}"')
    note = col.get_note(note_id)
    return {"type": note.note_type()["name"], "tags": note.tags, "cards": len(note.cards()), **dict(note.items())}


def test_fixture_deck_imports_with_counts_per_deck(tmp: Path, collection) -> None:
    package = tmp / "fixture.apkg"
    summary = export_anki(load(FIXTURE_DECK), package, instances=3, timestamp=T0)
    log = import_package(collection, package)

    assert len(log.new) == summary.notes == 10
    names = {d.name for d in collection.decks.all_names_and_ids()}
    mini, second = "quizapp::A small deck with every card type", "quizapp::Another topic"
    assert {"quizapp", mini, second} <= names
    # mini: flash, two choices, numeric, cloze, three instances of the generated card
    assert notes_in(collection, mini) == 8
    assert len(collection.find_cards(f'"deck:{mini}"')) == 9  # the cloze card has two deletions
    assert notes_in(collection, second) == 2
    assert notes_in(collection, "quizapp") == 0
    assert len(collection.find_cards('"deck:quizapp"')) == 11


def test_fields_of_each_card_type(tmp: Path, collection) -> None:
    package = tmp / "fixture.apkg"
    export_anki(load(FIXTURE_DECK), package, instances=2, timestamp=T0)
    import_package(collection, package)

    flash = fields(collection, "mini/flash")
    assert flash["type"] == "quizapp Basic"
    assert flash["Front"] == "What does BN normalise over?"
    assert flash["Back"] == "The mini-batch, per feature."
    assert "batch mean and variance" in flash["Explanation"]
    assert flash["Sources"] == "Source: Test fixture"
    assert sorted(flash["tags"]) == ["bn", "mini"]

    cloze = fields(collection, "mini/blanks")
    assert cloze["type"] == "quizapp Cloze"
    assert cloze["Text"] == "BN normalizes each {{c1::feature}} over the {{c2::mini-batch}}."
    assert cloze["cards"] == 2

    choice = fields(collection, "mini/pick-many")
    assert choice["type"] == "quizapp Choice"
    assert "<b>A.</b> Naive Bayes" in choice["Options"] and "<b>C.</b> Gaussian mixture model" in choice["Options"]
    assert "<b>A.</b> Naive Bayes" in choice["Answer"] and "<b>C.</b> Gaussian" in choice["Answer"]
    assert "Logistic" not in choice["Answer"]
    why = fields(collection, "mini/pick-one")["Feedback"]
    assert "✓ TPR and FPR are each computed within one class." in why and "✗ Dominated by the majority class." in why

    numeric = fields(collection, "mini/number")
    assert numeric["type"] == "quizapp Numeric"
    assert numeric["Prompt"] == r"What is \(\frac{3}{4}\)?"
    assert numeric["Answer"].startswith("0.75")
    assert numeric["Explanation"] == "Three quarters."

    import solvers

    generated = sorted((collection.get_note(n) for n in collection.find_notes('"Key:mini/gen"')),
                       key=lambda note: note["Prompt"].split("instance ")[1])
    problems = [solvers.get_solver("auc").generate(instance_seed("mini/gen", n), 1) for n in (1, 2)]
    assert len(generated) == 2
    for note, problem in zip(generated, problems):
        assert f"(seed {problem.seed})" in note["Prompt"]
        assert float(note["Answer"]) == pytest.approx(problem.answer, rel=1e-5)
        assert "<table>" in note["Solution"] and "\\frac" in note["Solution"]


def test_newer_export_updates_notes_instead_of_duplicating(tmp: Path, collection) -> None:
    first = tmp / "first.apkg"
    export_anki(load(FIXTURE_DECK), first, instances=2, timestamp=T0)
    import_package(collection, first)

    edited = tmp / "deck"
    shutil.copytree(FIXTURE_DECK, edited)
    mini = edited / "mini.yaml"
    mini.write_text(mini.read_text().replace("The mini-batch, per feature.", "The batch, feature by feature."))
    second = tmp / "second.apkg"
    export_anki(load(edited), second, instances=2, timestamp=T0 + 60)
    log = import_package(collection, second)

    assert len(log.new) == 0 and len(log.updated) >= 1
    assert len(collection.find_notes("")) == 9  # 7 in mini (two generated instances), 2 in second
    assert fields(collection, "mini/flash")["Back"] == "The batch, feature by feature."


def test_builtin_deck_imports_with_the_expected_number_of_notes(tmp: Path, collection) -> None:
    content = builtin_content_dir()
    assert content is not None
    deck = load(content)
    package = tmp / "builtin.apkg"
    summary = export_anki(deck, package, instances=2, timestamp=T0)
    generated = sum(card.type in {"generated", "template"} for card in deck.cards())
    expected = deck.card_count + generated  # each generated card becomes two notes

    log = import_package(collection, package)

    assert summary.notes == expected
    assert len(log.new) == expected
    assert len(collection.find_notes("")) == expected
    for topic in deck.topics:
        name = f"quizapp::{topic.title}"
        assert notes_in(collection, name) == len(topic.cards) + sum(c.type in {"generated", "template"} for c in topic.cards)


def test_export_leaves_no_temporary_files(tmp: Path) -> None:
    scratch = Path(tempfile.gettempdir())
    before = set(scratch.iterdir())
    export_anki(load(FIXTURE_DECK), tmp / "x.apkg", timestamp=T0)
    assert set(scratch.iterdir()) == before


def export_notes_as_text(col, path: Path) -> None:
    from anki.generic_pb2 import Empty
    from anki.import_export_pb2 import ExportLimit

    col.export_note_csv(out_path=str(path), limit=ExportLimit(whole_collection=Empty()), with_html=True,
                        with_tags=True, with_deck=True, with_notetype=True, with_guid=True)


def test_notes_in_plain_text_from_anki_import_as_valid_content(tmp: Path, collection) -> None:
    basic, cloze = collection.models.by_name("Basic"), collection.models.by_name("Cloze")
    note = collection.new_note(basic)
    note["Front"], note["Back"] = 'What is <b>BN</b>?<br>A "norm"\tlayer', r"Scales by \(1/\sqrt{\sigma^2 + \epsilon}\)"
    note.tags = ["ml", "bn::basics"]
    collection.add_note(note, collection.decks.id("Deep::Batch norm"))
    note = collection.new_note(cloze)
    note["Text"], note["Back Extra"] = r"Over the {{c1::mini-batch}} with {{c2::\(\mu\)}}", "<i>per feature</i>"
    collection.add_note(note, collection.decks.id("Deep::Batch norm"))
    export_notes_as_text(collection, tmp / "notes.txt")

    result = import_anki_text(tmp / "notes.txt", "from-anki", tmp / "content")

    deck = load(tmp / "content")
    flash, deletions = (card.card for card in deck.topic("from-anki").cards)
    assert result.cards == 2 and deck.topic("from-anki").title == "Batch norm"
    assert flash.front == 'What is **BN**?\n\nA "norm" layer'
    assert flash.back == r"Scales by $1/\sqrt{\sigma^2 + \epsilon}$"
    assert sorted(flash.tags) == ["bn::basics", "ml"]
    assert deletions.text == r"Over the {{c1::mini-batch}} with {{c2::$\mu$}}"
    assert deletions.explanation == "*per feature*"


def test_round_trip_through_anki_keeps_flashcards_and_clozes(tmp: Path, collection) -> None:
    original = load(FIXTURE_DECK)
    export_anki(original, tmp / "fixture.apkg", timestamp=T0)
    import_package(collection, tmp / "fixture.apkg")
    export_notes_as_text(collection, tmp / "notes.txt")

    import_anki_text(tmp / "notes.txt", "round-trip", tmp / "content")

    cards = [card.card for card in load(tmp / "content").topic("round-trip").cards]
    flash = next(c for c in cards if c.type == "flashcard" and c.front == original.card("mini/flash").card.front)
    assert flash.back == original.card("mini/flash").card.back
    blanks = next(c for c in cards if c.type == "cloze")
    assert blanks.text == original.card("mini/blanks").card.text
    assert blanks.explanation == original.card("mini/blanks").card.explanation


def test_an_open_question_imports_as_a_basic_note_with_its_key_points(tmp: Path, collection) -> None:
    open_deck = FIXTURE_DECK.parent / "open"
    package = tmp / "open.apkg"
    export_anki(load(open_deck), package, timestamp=T0)
    log = import_package(collection, package)

    assert len(log.new) == 2
    note = fields(collection, "interview/why-bn")
    assert note["type"] == "quizapp Basic" and note["cards"] == 1
    assert note["Front"] == "Why does batch normalization make deep networks easier to train?"
    back = note["Back"]
    assert back.startswith("<b>Key points</b><ul><li>Keeps each layer's input distribution stable</li>")
    assert back.count("<li>") == 4
    assert "<li>Batch statistics add a mild &#91;b]regularising&#91;/b] noise</li>" in back
    assert back.index("</ul><b>Model answer</b>") < back.index("Normalizing each feature over the mini-batch")
    assert note["Sources"] == "Source: Ioffe &amp; Szegedy 2015; Santurkar et al. 2018"


LINKS = """topic: links
title: Links
summary: 'The [editor](vscode://file/etc/passwd) and the [docs](https://example.org/docs).'
cards:
  - id: flash
    type: flashcard
    front: 'Open [slides](vscode://file/etc/passwd), <vscode://x> or ![i](data:image/png;base64,AA)'
    back: 'Read [the paper](https://example.org/p) or mail [me](mailto:me@example.org), not [this](file:///etc/passwd)'
  - id: open
    type: open
    prompt: Why?
    key_points:
      - text: 'See [the editor](vscode://file/etc/passwd)'
      - text: 'And the [paper](https://example.org/p)'
    model_answer: 'Because [x](javascript:alert(1)).'
"""


def test_only_web_links_reach_anki(tmp: Path, collection) -> None:
    """The app refuses to open a vscode:, file: or data: link; the export wrote them into Anki as live links."""
    import re

    folder = tmp / "links"
    folder.mkdir()
    (folder / "links.yaml").write_text(LINKS, encoding="utf-8")
    package = tmp / "links.apkg"
    export_anki(load(folder), package, timestamp=T0)
    import_package(collection, package)

    texts = [*fields(collection, "links/flash").values(), *fields(collection, "links/open").values(),
             collection.decks.by_name("quizapp::Links")["desc"]]
    targets = sorted(re.findall(r'(?:href|src)="([^"]*)"', " ".join(map(str, texts))))
    assert targets == ["https://example.org/docs", "https://example.org/p", "https://example.org/p",
                       "mailto:me@example.org"]
    assert "&#91;slides](vscode://file/etc/passwd)" in fields(collection, "links/flash")["Front"]  # shown as text


def test_reversed_notes_tables_and_media_from_anki(tmp: Path, collection) -> None:
    reversed_type, basic = collection.models.by_name("Basic (and reversed card)"), collection.models.by_name("Basic")
    note = collection.new_note(reversed_type)
    note["Front"], note["Back"] = "chat", 'cat <img src="cat.png">'
    collection.add_note(note, collection.decks.id("French"))
    note = collection.new_note(basic)
    note["Front"], note["Back"] = "Costs?", "<table><tr><td>sort</td><td>n log n</td></tr><tr><td>scan</td><td>n</td></tr></table>"
    collection.add_note(note, collection.decks.id("French"))
    assert len(collection.find_cards("")) == 3  # Anki makes two cards of the reversed note
    export_notes_as_text(collection, tmp / "notes.txt")

    result = import_anki_text(tmp / "notes.txt", "french", tmp / "content")

    forward, backward, costs = (card.card for card in load(tmp / "content").topic("french").cards)
    assert (forward.front, forward.back) == (backward.back, backward.front) == ("chat", "cat [image: cat.png]")
    assert costs.back == "| sort | n log n |\n| --- | --- |\n| scan | n |"
    assert result.warnings == ["1 media file (cat.png) not imported: quizapp shows no pictures or sound, so the cards "
                               "name them ([image: ...], [sound:...]) where they were"]


CODE = """topic: drills
title: Drills
cards:
  - id: auc
    type: code
    prompt: Write `roc_auc(y_true, y_score)`.
    function: roc_auc
    checker: auc
    starter: |
      def roc_auc(y_true, y_score):
          ...  # 0 < AUC < 1
    hints:
      - Rank the scores, **once**.
      - Ties get the average rank.
"""


def test_a_code_card_shows_its_starter_and_folded_hints_in_anki(tmp: Path, collection) -> None:
    folder = tmp / "drills"
    folder.mkdir()
    (folder / "drills.yaml").write_text(CODE, encoding="utf-8")
    export_anki(load(folder), tmp / "drills.apkg", timestamp=T0)
    import_package(collection, tmp / "drills.apkg")

    (card_id,) = collection.find_cards('"Key:drills/auc"')
    question = collection.get_card(card_id).question()
    assert "<pre><code class=language-python>def roc_auc(y_true, y_score):\n    ...  # 0 &lt; AUC &lt; 1\n</code></pre>" in question
    assert "<details><summary>Hint 1</summary>Rank the scores, <strong>once</strong>.</details>" in question
    assert "<summary>Hint 2</summary>" in question and "Model solution" not in question


MEDIA_TAGS = r"""topic: media-tags
title: Media tags
summary: 'Deck [sound:desc.mp3]'
cards:
  - id: flash
    type: flashcard
    front: 'Play [sound:front.mp3] and [anki:tts lang=en_US]hello[/anki:tts]'
    back: 'Math $$sound:math.mp3]$$, [latex]x^2[/latex], `[sound:code.mp3]`'
"""


def test_text_that_looks_like_a_media_tag_reaches_anki_as_text(tmp: Path, collection) -> None:
    """`[sound:front.mp3]` in a card was a sound Anki played (and a missing media file), `[anki:tts]` speech,
    `[latex]` a LaTeX image to make; the card shows them as the text they are."""
    import html
    import re

    folder = tmp / "media"
    folder.mkdir()
    (folder / "media.yaml").write_text(MEDIA_TAGS, encoding="utf-8")
    (folder / "drills.yaml").write_text(CODE.replace("0 < AUC < 1", "[sound:starter.mp3]"), encoding="utf-8")
    export_anki(load(folder), tmp / "media.apkg", timestamp=T0)
    import_package(collection, tmp / "media.apkg")

    shown = []
    for card_id in collection.find_cards('"deck:quizapp"'):
        card = collection.get_card(card_id)
        assert card.question_av_tags() == [] and card.answer_av_tags() == []
        shown.append(html.unescape(re.sub(r"<[^>]*>", "", card.answer())))
    shown = "\n".join(shown)
    assert "Play [sound:front.mp3] and [anki:tts lang=en_US]hello[/anki:tts]" in shown
    assert "Math \\[ sound:math.mp3]\\], [latex]x^2[/latex], [sound:code.mp3]" in shown
    assert "...  # [sound:starter.mp3]" in shown
    assert list(collection.media.check().missing) == []


HOSTILE_MATH = r"""topic: hostile-math
title: Hostile math
cards:
  - id: token
    type: flashcard
    front: 'Check: $\mmlToken{mi}[href="javascript:alert(document.cookie)"]{\text{click}}$'
    back: '$\bbox[position:fixed;top:0;left:0;width:100%;height:100%;background:white]{\text{Correct!}}$'
  - id: text
    type: flashcard
    front: 'Text \\(\mmlToken{mi}[href="javascript:x"]{y}\\) and &#92;[\bbox[position:fixed]{z}&#92;]'
    back: '$\frac{a}{b} \ll \sqrt{x}$ and $\def\x{\mmlToken}\x{mi}{y}$'
"""


def test_anki_shows_only_allowed_math_commands(tmp: Path, collection) -> None:
    """`\\mmlToken` (href, style attributes) and `\\bbox` (CSS) passed the export's deny-list into Anki's
    MathJax; what MathJax reads in the cards Anki renders is only commands of the allow-list."""
    from tests.mathjax_view import commands, formulas
    from tests.unit.test_export_mathjax import allowed

    folder = tmp / "hostile"
    folder.mkdir()
    (folder / "hostile.yaml").write_text(HOSTILE_MATH, encoding="utf-8")
    export_anki(load(folder), tmp / "hostile.apkg", timestamp=T0)
    import_package(collection, tmp / "hostile.apkg")

    pages = [page for card_id in collection.find_cards('"deck:quizapp"')
             for page in (collection.get_card(card_id).question(), collection.get_card(card_id).answer())]
    seen = [name for page in pages for tex in formulas(page) for name in commands(tex)]
    assert [name for name in seen if not allowed(name)] == []
    assert {"frac", "ll", "sqrt", "text", "backslash"} <= set(seen)
