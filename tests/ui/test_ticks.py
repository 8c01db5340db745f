"""Pilot tests: every checkbox tells on from off without its colour (Textual drew "X" both ways)."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.tui.widgets.ticks import TICK, TickBox, TickList
from quizapp.tui.widgets.topic_picker import TopicPicker

TUI = Path(__file__).parents[2] / "quizapp" / "tui"


def buttons(options: TickList) -> list[str]:
    """The inside of each button drawn, top to bottom (what is scrolled into view)."""
    lines = [options.render_line(y).text for y in range(options.scrollable_content_region.height)]
    return [match.group(1) for line in lines if (match := re.search("▐(.)▌", line))]


async def test_the_quiz_setups_lists_tick_what_is_chosen_and_leave_the_rest_blank(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        topics = app.screen.query_one(TopicPicker)
        assert set(buttons(topics)) == {" "}  # none chosen
        await pilot.press("space", "down", "down", "space")  # the first and third topics
        assert buttons(topics)[:4] == [TICK, " ", TICK, " "] and buttons(topics).count(TICK) == 2
        types = app.screen.query_one("#quiz-types", TickList)
        drawn = dict(zip([str(types.get_option_at_index(i).prompt) for i in range(types.option_count)],
                         buttons(types)))
        assert {kind for kind, inside in drawn.items() if inside == TICK} == set(types.selected)
        assert " " in drawn.values()  # some types are not chosen by default


async def test_a_scrolled_topic_list_ticks_the_topics_it_shows(make_app) -> None:
    app = make_app(builtin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")  # at 80x24 the interview's topics do not all fit: the list scrolls
        await pilot.pause()
        topics = app.screen.query_one(TopicPicker)
        await pilot.press("end", "space")
        await pilot.pause()
        assert topics.scroll_offset.y > 0 and buttons(topics)[-1] == TICK and buttons(topics).count(TICK) == 1


async def test_the_interviews_checkbox_shows_a_tick_only_when_on(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        box = app.screen.query_one("#interview-scheduled", TickBox)
        assert not box.value and str(box.render()).startswith("▐ ▌")
        box.toggle()
        await pilot.pause()
        assert str(box.render()).startswith(f"▐{TICK}▌")


def test_every_checkbox_of_the_app_is_a_tick_box_or_list() -> None:
    plain = [f"{path.relative_to(TUI)}: {line.strip()}" for path in TUI.rglob("*.py") if path.name != "ticks.py"
             for line in path.read_text(encoding="utf-8").splitlines()
             if re.search(r"\b(Checkbox|SelectionList|RadioButton|Switch)\b\s*[\[(]", line)]
    assert plain == []
