"""What a new user meets first, at the terminal sizes people start with (80x24 and 100x30)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Footer
from textual.widgets._footer import FooterKey

from quizapp.tui.screens.help import HelpScreen, help_text
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.stats import StatsScreen


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(Footer).query(FooterKey))


async def test_help_says_how_to_close_it_and_how_to_scroll_a_long_card(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        # Its own footer, not the home screen's keys (r, q, b...) that do nothing while it is open.
        assert [key.description for key in footer_keys(app) if not key.has_class("-command-palette")] == ["Close"]
        text = help_text(app.screen)
        assert "**Long cards** scroll" in text and "`pgdn` and `pgup` a page" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)



LONG_CHOICE = """\
topic: long
title: Long questions
summary: A choice card and a numeric card with long prompts.
sources: ["Test fixture"]
cards:
  - id: long-choice
    type: choice
    shuffle: false
    prompt: |
{prompt}
    options:
      - text: The first option, which is long enough to take two lines on a terminal eighty columns wide.
        why: Wrong, and the feedback under it is long too, so that the panel has to scroll to show it all.
      - text: The second option, which is right, and is also long enough to wrap onto a second line.
        correct: true
        why: Right. This feedback is long as well, long enough to need a second line of its own here.
      - text: The third option, a short one.
        why: Wrong, for a reason that takes a whole sentence to explain to the person who chose it.
    explanation: |
{prompt}
  - id: long-number
    type: numeric
    prompt: |
{prompt}
    answer: 0.75
    explanation: |
{prompt}
""".format(prompt="\n".join(f"      Line {n} of a question long enough to fill a good part of the panel." for n in range(8)))


def in_view(panel, widget) -> bool:
    top, height = panel.scroll_offset.y, panel.scrollable_content_region.height
    return top <= widget.virtual_region.y and widget.virtual_region.bottom <= top + height


async def settled_in_view(pilot, parts: tuple[str, ...]) -> bool:
    """Whether `parts` of the panel are all in view once the check's scroll has run: waited for (up to 5 s, a
    scroll after a refresh can come late on a busy machine), then looked at again a little later (a scroll that
    came later still, as the one that took the question out of view, is caught there)."""
    panel = pilot.app.screen.panel
    for _ in range(100):
        if all(in_view(panel, panel.query_one(part)) for part in parts):
            break
        await pilot.pause(0.05)
    await pilot.pause(0.2)
    return all(in_view(panel, panel.query_one(part)) for part in parts)


async def test_a_checked_answer_keeps_the_options_and_the_verdict_in_view(make_app, tmp_path: Path) -> None:
    (tmp_path / "long").mkdir()
    (tmp_path / "long" / "long.yaml").write_text(LONG_CHOICE)
    app = make_app(tmp_path / "long")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "1", "enter")  # the first option: wrong
        # The options, marked right and wrong, and the verdict below them: "b" is on screen to read.
        assert await settled_in_view(pilot, ("#choices", "#verdict"))
        assert "the answer is b" in str(app.screen.panel.query_one("#verdict").render())
        await pilot.press("enter")
        assert app.screen.session.current.kind == "numeric"
        await pilot.press("0", "full_stop", "5", "enter")
        assert await settled_in_view(pilot, ("#answer-box", "#verdict"))



SHORT_QUESTIONS = """\
topic: short
title: Short questions with long answers
summary: A choice card and a numeric card that fit the panel with their verdict, and long explanations.
sources: ["Test fixture"]
cards:
  - id: short-choice
    type: choice
    shuffle: false
    prompt: |
      Rank all M + N scores in ascending order (rank 1 = lowest). Some scores are tied. How must the
      tied scores be ranked for the rank formula to give the AUC?
    options:
      - text: Any order among tied scores, each gets its own rank
        why: The result then depends on the order of the tied scores.
      - text: Each tied score gets the average of its group's ranks
        correct: true
        why: A tied pair then counts one half, as the definition says.
      - text: Each tied score gets the smallest rank of its group
        why: That undercounts every positive in a tie.
    explanation: |
{explanation}
  - id: short-number
    type: numeric
    prompt: |
      Labels [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8]. What is the ROC-AUC? (Exact value; 3 decimal
      places are enough.)
    answer: 0.75
    explanation: |
{explanation}
""".format(explanation="\n".join(f"      Line {n} of an explanation long enough to need scrolling." for n in range(20)))


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_checked_answer_keeps_its_question_in_view(make_app, tmp_path: Path, size) -> None:
    """The question, the options or the typed answer, and the verdict, all on screen after checking: the panel
    scrolled the options to the top, and the question above them out of view."""
    (tmp_path / "short").mkdir()
    (tmp_path / "short" / "short.yaml").write_text(SHORT_QUESTIONS)
    app = make_app(tmp_path / "short")
    async with app.run_test(size=size) as pilot:
        await pilot.press("r", "1", "enter")
        panel = app.screen.panel
        assert app.screen.session.current.key == "short/short-choice"
        assert await settled_in_view(pilot, ("#question-prompt", "#choices", "#verdict"))
        assert not panel.query_one(".choice-instruction").display  # "press 1-3, then Enter": the keys now rate
        await pilot.press("enter")
        await pilot.press("0", "full_stop", "5", "enter")
        assert app.screen.session.current.key == "short/short-number"
        assert await settled_in_view(pilot, ("#question-prompt", "#answer-box", "#verdict"))
        assert not panel.query_one("#answer-hint").display  # "✓ reads as 0.5" above "✗ Incorrect"


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_stats_shows_the_accuracy_column_beside_long_topic_titles(make_app, tmp_path, size) -> None:
    long_title = tmp_path / "long.yaml"
    long_title.write_text("topic: long\ntitle: 'Optimizers: momentum, Adam, AdamW, learning-rate schedules and "
                          "warm-up (优化器)'\ncards:\n  - {id: a, type: flashcard, front: f, back: b}\n", encoding="utf-8")
    app = make_app(long_title, builtin=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        table = app.screen.query_one("#accuracy", DataTable)
        assert [str(column.label) for column in table.columns.values()][-1] == "Accuracy"
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing to scroll sideways to
        assert table.region.right <= size[0]



@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_the_rating_buttons_line_up_with_the_card_above_them(make_app, size) -> None:
    """The buttons reached 2 columns past the card's border, and hiding them left their edge drawn there."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("r", "space")
        await pilot.pause()
        panel, ratings = app.screen.query_one("#question"), app.screen.query_one("#ratings")
        assert ratings.display and (panel.region.x, panel.region.right) == (ratings.region.x, ratings.region.right)
        assert app.screen.query_one("#suggestion").region.right == panel.region.right

