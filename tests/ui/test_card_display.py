"""Pilot tests for how cards, toasts, topics, content problems and the heatmap are drawn (issue 15)."""

from __future__ import annotations

import re
from datetime import timedelta
from itertools import takewhile
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Markdown, Static
from textual.widgets._markdown import MarkdownParagraph, MarkdownTable
from textual.widgets._toast import Toast

from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.content_errors import ContentErrorsScreen
from quizapp.tui.screens.stats import StatsScreen
from quizapp.tui.widgets.choice_list import ChoiceList
from quizapp.tui.widgets.heatmap import Heatmap
from quizapp.tui.widgets.topic_table import TopicTable, _layout
from tests.study_helpers import FIXTURE_DECK
from tests.ui.test_app_flows import content_folder, type_text
from tests.ui.waiting import until

DISPLAY_DECK = Path(__file__).parent.parent / "fixtures" / "display"


def rendered(widget: Static) -> str:
    return str(widget.render())


async def test_a_table_first_back_shows_its_label_in_a_block_of_its_own(make_app) -> None:
    app = make_app(DISPLAY_DECK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "space")
        back = app.screen.query_one("#question-back", Markdown)
        await until(pilot, lambda: len(back.children) >= 2)
        first, table = back.children[0], back.children[1]
        assert isinstance(first, MarkdownParagraph) and first.source.strip() == "**Answer:**"
        assert isinstance(table, MarkdownTable)


async def test_browse_shows_a_table_first_back_as_a_table_and_the_topic_summary(make_app) -> None:
    app = make_app(DISPLAY_DECK)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        detail = app.screen.query_one("#card-detail", Markdown)
        await until(pilot, lambda: any((block.source or "").strip() == "**Back:**" for block in detail.children))
        assert "**Back:**\n\n| row | values |" in detail.source
        sources = [(block.source or "").strip() for block in detail.children]
        assert isinstance(detail.children[sources.index("**Back:**") + 1], MarkdownTable)
        summary = rendered(app.screen.query_one("#topic-summary", Static))
        assert summary.startswith("How cards are drawn — Cards whose backs start with a block")


async def test_choice_options_hang_under_their_own_text_and_render_inline_code(make_app) -> None:
    app = make_app(DISPLAY_DECK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "space", "3")
        await pilot.pause()
        await until(pilot, lambda: bool(app.screen.query(".choice-mark")))
        option = app.screen.query_one(ChoiceList).query(".choice-option").first()
        mark, text = option.query_one(".choice-mark", Static), option.query_one(".choice-text", Static)
        await until(pilot, lambda: str(mark.render()) != "" and text.size.height > 0)
        body = text.render()
        assert str(mark.render()) == "[ ] 1  a) "
        assert str(body).startswith("when eval() is called") and "`" not in str(body)
        assert text.size.height >= 2, "the long option wraps"
        assert text.region.x == mark.region.right  # every wrapped line starts under the text, not the box
        code = [span for span in body.spans if str(body)[span.start:span.end] == "eval()"]
        assert code and code[0].style.bold


async def test_a_repeated_warning_is_one_whole_toast_clear_of_the_card(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("r", "space", "3", "1", "enter", "enter", "1", "3", "enter", "enter")
        assert app.screen.session.current.kind == "numeric"
        for _ in range(4):
            await type_text(pilot, "three")
            await pilot.press("enter")
            await pilot.press(*["backspace"] * 5)
        await until(pilot, lambda: any(toast.region.width for toast in app.screen.query(Toast)))  # laid out
        toasts = list(app.screen.query(Toast).results())
        texts = [str(toast.render()) for toast in toasts]
        assert len(toasts) == 1 and texts[0].startswith("Could not read your answer: ")  # no title repeating it
        toast = toasts[0]
        answer = app.screen.query_one("#answer-box")
        assert not toast.region.overlaps(answer.region)
        assert toast.region.y == 0 and toast.region.right == 80  # from the title bar's right end down


async def test_the_home_screen_shows_the_selected_topics_summary(make_app) -> None:
    app = make_app(FIXTURE_DECK, DISPLAY_DECK)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        summary = app.screen.query_one("#topic-summary", Static)
        table = app.screen.query_one(TopicTable)
        shown = {}
        for _ in table.rows:
            await pilot.pause()
            shown[table.highlighted.slug] = rendered(summary)
            await pilot.press("down")
        deck = app.services.deck
        assert len(shown) == 3
        for slug, text in shown.items():
            topic = deck.topic(slug)
            assert text == f"{topic.title} — {topic.summary or 'no summary'}"
        assert shown["display"].startswith("How cards are drawn — Cards whose backs start with a block")


async def test_content_problems_wrap_long_messages(make_app, tmp_path: Path) -> None:
    long = "x" * 30
    broken = content_folder(tmp_path, {"bad.yaml": "topic: bad\ntitle: Bad\ncards:\n"
                                       f"  - {{id: a, type: flashcard, front: f, back: b, {long}: 1, {long}y: 2}}\n"})
    app = make_app(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContentErrorsScreen)
        table = app.screen.query_one(DataTable)
        message = str(table.get_row_at(0)[1])
        assert len(message) > 80
        assert table.virtual_size.width <= table.size.width, "no text runs off to the right"
        assert table.rows[next(iter(table.rows))].height >= 2  # the row grew to hold the wrapped text


async def test_heatmap_names_months_selects_a_day_and_has_a_numbered_legend(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 44)) as pilot:
        await pilot.press("r", "space", "3", "2", "enter", "1")  # two reviews today
        await pilot.press("escape", "s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        heatmap = app.screen.query_one(Heatmap)
        await until(pilot, lambda: heatmap.has_focus and "answer" in str(heatmap.render()))
        assert heatmap.has_focus
        lines = str(heatmap.render()).splitlines()
        months = lines[0].split()
        assert months and all(len(name) == 3 for name in months)  # "Jun" and "Jul", never "Ju"
        assert "answers a day: ■ 0  ■ 1  ■ 2" in lines[8]
        today = heatmap.today
        assert lines[9].strip().startswith(f"{today:%a} {today.day} {today:%b %Y}: 2 answers")
        await pilot.press("up")
        yesterday = today - timedelta(days=1)
        assert heatmap.selected == yesterday
        assert f"{yesterday:%a} {yesterday.day} {yesterday:%b %Y}: 0 answers" in str(heatmap.render())
        await pilot.press("left", "left", "right")
        assert heatmap.selected == yesterday - timedelta(days=7)
        await pilot.press("end", "right", "down")
        assert heatmap.selected == today  # never past today


MATH_DECK = """\
topic: math
title: Math
cards:
  - id: attention
    type: choice
    prompt: 'Which is scaled dot-product attention, $\\text{softmax}\\left(\\frac{QK^\\top}{\\sqrt{d_k}}\\right)V$?'
    shuffle: false
    options:
      - text: 'SMOTE: $x_{new} = x + u \\cdot (x_{nn} - x)$'
      - text: 'AUC: $\\frac{\\sum_{i \\in pos} rank_i - M(M+1)/2}{M N}$'
        correct: true
"""


async def test_math_reads_without_doubled_brackets_or_underscore_groups(make_app, tmp_path: Path) -> None:
    app = make_app(content_folder(tmp_path, {"math.yaml": MATH_DECK}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        prompt = app.screen.query_one("#question-prompt", Markdown)
        await until(pilot, lambda: bool(prompt.children))
        shown = " ".join(str(block.render()) for block in prompt.children)
        assert "softmax(QKᵀ/√dₖ)V" in shown and "((" not in shown
        options = [str(widget.render()) for widget in app.screen.query(".choice-text").results(Static)]
        assert options == ["SMOTE: x_new = x + u · (xₙₙ - x)", "AUC: (∑[i ∈ pos] rankᵢ - M(M+1)/2)/(M N)"]


def test_heatmap_legend_ranges_cover_every_count_up_to_the_busiest_day() -> None:
    from quizapp.tui.widgets.heatmap import levels

    assert levels(0) == [(1, None)]
    for peak in range(1, 300):
        ranges = levels(peak)
        assert 1 <= len(ranges) <= 4 and ranges[0][0] == 1 and ranges[-1][1] == peak
        assert all(high >= low for low, high in ranges)
        assert all(ranges[i][1] + 1 == ranges[i + 1][0] for i in range(len(ranges) - 1))


def test_a_title_cut_at_a_wide_character_ends_in_the_ellipsis_not_a_space() -> None:
    # at 80 columns the home screen showed "Evaluation design: CV, leakage, A/B tests ( …": the cut fell in
    # the middle of 交, and the cell it left was a space before the "…"
    for width in range(30, 60):
        parts = _layout(("Evaluation design: CV, leakage, A/B tests (交叉验证)", "39", "0"), (5, 3), width)
        title = parts[1]
        assert title.endswith("…") and not title.endswith(" …"), (width, title)
        ascii_title = _layout(("x" * 80, "39", "0"), (5, 3), width)
        assert cell_len("".join(parts[:3])) == cell_len("".join(ascii_title[:3]))  # the numbers stay in their
        assert parts[3:] == ascii_title[3:]  # columns: the space the cut left comes after the "…"


def test_cut_puts_the_ellipsis_right_after_the_last_whole_character() -> None:
    from rich.text import Span, Text

    from quizapp.tui.cut import cut

    title = "Batch normalization (批归一化)"
    for width in range(1, cell_len(title) + 2):
        line = cut(title, width)
        assert cell_len(line) <= width and not line.endswith(" …"), (width, line)
        if width >= cell_len(title):
            assert line == title
        else:  # as much as fits before the "…": one cell short only where a wide character would be cut in half
            assert line.endswith("…") and cell_len(line) >= width - 1 and title.startswith(line[:-1].rstrip())
    assert cut("Batch normalization (批归一化)", 27) == "Batch normalization (批归…"  # Rich: '(批归 …'
    styled = Text.assemble(("批归一化", "bold"), " x")
    assert cut(styled, 5).plain == "批归…" and cut(styled, 5).spans == [Span(0, 2, "bold")]  # its styles kept
    assert cut("ab", 5, more=True) == "ab…" and cut("abc", 0) == ""


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (80, 50)], ids=["80x24", "100x30", "80x50"])
@pytest.mark.parametrize("keys", [["q"], ["i"], ["s"], ["g"], ["b"], ["r"], []],
                         ids=["quiz-setup", "interview-setup", "stats", "glossary", "browse", "review", "home"])
async def test_no_title_is_cut_leaving_a_space_before_the_ellipsis(make_app, size, keys) -> None:
    """At 80 columns the setup screens' topic lists showed 'Batch normalization (批归 …': the cell left by half
    a wide character was a space before the "…". Every place that cuts a title cuts it by cells (at 80x50 the
    stats screen's table of topics is in view too)."""
    from tests.ui.test_hostile_tui import screen_text

    app = make_app(builtin=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await pilot.pause(0.2)
        shown = screen_text(app)
        assert " …" not in shown
        if keys == ["q"] and size[0] == 80:
            assert "Batch normalization (批归一…" in shown  # cut, and as much of it as fits


STATS_GROUPS = ["0 reviews (scheduled)", "0 answers in all (review, quiz, cram, interview)", "due", "new", "streak 0 days"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 30)], ids=["80x24", "100x30", "120x30"])
async def test_the_stats_summary_wraps_between_its_figures_never_inside_one(make_app, size) -> None:
    """At 100 columns the first line ended in "streak" and the next began "0 days"."""
    from tests.ui.test_hostile_tui import screen_text

    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await pilot.pause()
        rows = re.split(r"\x1b\[\d+;\d+H", screen_text(app))
        today = next(index for index, row in enumerate(rows) if row.lstrip().startswith("Today "))
        lines = [rows[today]] + list(takewhile(lambda row: row.startswith("    "), rows[today + 1:]))
        groups = [group.strip() for line in lines for group in line.replace("Today ", "", 1).split(" · ")]
        assert len(groups) == len(STATS_GROUPS) and groups[-1] == "streak 0 days", lines
        assert all(group.endswith(end) for group, end in zip(groups, STATS_GROUPS)), groups


def test_figure_lines_break_only_between_groups_and_indent_what_they_carry_over() -> None:
    from textual.content import Content

    from quizapp.tui.widgets.figure_lines import FigureLines

    figures = FigureLines()
    groups = ["Today 12 reviews (scheduled)", "3 due", "20 new", "streak 10 days"]
    figures.show([groups, [Content.styled("Cards", "bold")]])
    assert figures.laid_out(0).plain == " · ".join(groups) + "\nCards"
    for width in range(28, 80):
        rows = figures.laid_out(width).plain.split("\n")
        assert all(len(row) <= width for row in rows) and rows[-1] == "Cards"
        assert [group for row in rows[:-1] for group in row.strip().split(" · ")] == groups
        assert all(row.startswith("  ") for row in rows[1:-1])  # a group carried over is indented
    figures.show([["[b]not markup[/b]", "x"]])
    assert figures.laid_out(0).plain == "[b]not markup[/b] · x" and figures.laid_out(0).spans == []
