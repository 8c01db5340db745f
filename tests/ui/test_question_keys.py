"""The keys a question screen offers at each step of answering: one rule, in the question screens' base, serves
the quiz and the interview (and review), so their footers cannot drift apart."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from quizapp.study.interview import InterviewSession
from quizapp.study.quiz import ALL_TYPES, QuizSession
from quizapp.tui.screens.interview import InterviewScreen
from quizapp.tui.screens.question import QuestionScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.review import ReviewScreen

INTERVIEW_DECK = Path(__file__).parent.parent / "fixtures" / "interview"
KEYS = ["norms/ln-axis", "norms/small-batch", "norms/bn-eval", "norms/why-bn"]  # flashcard, choice, numeric, open
ACTIONS = ("reveal", "grade", "record_points", "submit", "show_answer")

# For each kind: the keys offered when the question is shown, after the first step, after the second.
STEPS = {
    "flashcard": ({"reveal"}, {"grade"}, {"submit"}),         # space shows the back, y grades, Enter: next
    "choice": ({"submit", "show_answer"}, {"submit"}),          # Enter checks the options (ctrl+s: not known)
    "numeric": ({"show_answer"}, {"submit"}),                   # a typed answer is checked, then Enter: next
    "open": ({"reveal", "show_answer"}, {"record_points"}, {"submit"}),  # ctrl+s, r records the points
}


def offered(screen: QuestionScreen) -> set[str]:
    return {action for action in ACTIONS if screen.check_action(action, ())}


async def step(pilot, screen: QuestionScreen, kind: str, number: int) -> None:
    """The candidate's next step on a question of `kind`."""
    keys = {"flashcard": (("space",), ("y",)), "choice": (("1", "enter"),), "numeric": (("2", "enter"),),
            "open": (("ctrl+s",), ("r",))}[kind][number]
    await pilot.press(*keys)
    await pilot.pause()


def quiz_screen(app) -> None:
    services = app.services
    items = [services.deck.item(key) for key in KEYS]
    app._quiz(QuizSession(services.deck, services.store, services.clock, types=ALL_TYPES, items=items, count=4,
                          seed=1))


def interview_screen(app) -> None:
    services = app.services
    app._interview(InterviewSession(services.deck, services.store, services.settings, services.clock, keys=KEYS,
                                    seed=1))


@asynccontextmanager
async def answering(make_app, open_screen):
    """The app on the interview deck with the question screen `open_screen` opens: yields the pilot and it."""
    app = make_app(INTERVIEW_DECK)
    async with app.run_test(size=(100, 32)) as pilot:
        open_screen(app)
        await pilot.pause()
        yield pilot, app.screen


def test_the_question_screens_share_one_rule_for_their_keys() -> None:
    for screen in (QuizScreen, InterviewScreen):
        assert "check_action" not in vars(screen), f"{screen.__name__} has a copy of the rule"
    assert ReviewScreen.check_action is not QuestionScreen.check_action  # it adds its own keys, then the base's


@pytest.mark.parametrize("open_screen", [quiz_screen, interview_screen], ids=["quiz", "interview"])
async def test_each_step_of_answering_offers_only_the_keys_that_mean_something(make_app, open_screen) -> None:
    async with answering(make_app, open_screen) as (pilot, screen):
        seen = []
        while screen.question is not None and len(seen) < len(KEYS):
            kind = screen.question.kind
            seen.append(kind)
            expected = STEPS[kind]
            for number, keys in enumerate(expected):
                assert offered(screen) == keys, (kind, number)
                if number < len(expected) - 1:
                    await step(pilot, screen, kind, number)
            assert screen.recorded
            await pilot.press("enter")
            await pilot.pause()
        assert sorted(seen) == sorted(STEPS)


@pytest.mark.parametrize("open_screen", [quiz_screen, interview_screen], ids=["quiz", "interview"])
async def test_a_flashcards_answer_stays_in_view_once_graded(make_app, open_screen) -> None:
    """y or n grades a flashcard: its back was shown by space, and the grade must not take it away."""
    async with answering(make_app, open_screen) as (pilot, screen):
        while screen.question.kind != "flashcard":
            await step(pilot, screen, screen.question.kind, 0)
            if not screen.recorded:
                await step(pilot, screen, screen.question.kind, 1)
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("space", "y")
        await pilot.pause()
        assert screen.recorded
        back = screen.panel.query_one("#question-back")
        assert "The features of each example." in back.source, back.source


@pytest.mark.parametrize("open_screen", [quiz_screen, interview_screen], ids=["quiz", "interview"])
async def test_ctrl_s_on_a_choice_shows_its_answer_as_a_miss(make_app, open_screen) -> None:
    async with answering(make_app, open_screen) as (pilot, screen):
        await step(pilot, screen, "flashcard", 0)
        await step(pilot, screen, "flashcard", 1)  # knew it: the interview goes on to the choice
        await pilot.press("enter")
        await pilot.pause()
        assert screen.question.kind == "choice"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.recorded and "Not answered" in str(screen.query_one("#verdict").render())
        session = screen.session
        answers = session.results().answers if isinstance(session, QuizSession) else session.report().answers
        assert answers[-1].question.kind == "choice" and not answers[-1].outcome.correct


async def test_the_tenth_option_of_a_choice_is_0_after_9(make_app, tmp_path: Path) -> None:
    """A content file may give ten options; the tenth had no key, so a keyboard could not choose it."""
    from quizapp.tui.widgets.choice_list import ChoiceList

    options = "".join(f"      - text: option {n}\n" + ("        correct: true\n" if n == 10 else "") for n in range(1, 11))
    folder = tmp_path / "ten"
    folder.mkdir()
    (folder / "ten.yaml").write_text("topic: ten\ntitle: Ten\ncards:\n  - id: c\n    type: choice\n"
                                     f"    prompt: Which?\n    shuffle: false\n    options:\n{options}")
    app = make_app(folder, start="review")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        assert len(choices.options) == 10 and choices.keys[-2:] == ["9", "0"]
        assert "press 1-9, 0 (or click)" in str(choices.children[0].render())
        await pilot.press("0")
        assert choices.chosen == {9}
        await pilot.press("enter")
        await pilot.pause()
        assert "Correct" in str(app.screen.query_one("#verdict").render())
