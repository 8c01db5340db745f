"""Coding drills in a mock interview: how many are asked and when, what they take from the starting questions,
how a drill's code is recorded and credited, and what the report says of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.deck import load_deck
from quizapp.drills.runner import check_code
from quizapp.interview_report import (
    drills_instead,
    drills_overrun,
    report_markdown,
    result_text,
    short_of_drills,
    short_of_starts,
    what_is_asked,
)
from quizapp.study.interview import DRILL_MINUTES, InterviewSession, default_drills
from tests.study_helpers import fixed_clock, settings
from tests.unit.test_interview import answer

DRILL_DECK = Path(__file__).parent.parent / "fixtures" / "interview_drills"
CODE_KEYS = {"coding/write-bn", "coding/write-bn-backward"}
BN_FORWARD = """\
import numpy as np


def batch_norm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    return gamma * (x - mean) / np.sqrt(x.var(axis=0) + eps) + beta
"""


@pytest.fixture
def deck():
    loaded = load_deck([DRILL_DECK])
    assert not loaded.errors, [str(e) for e in loaded.errors]
    return loaded


def interview(deck, store, clock=None, **options) -> InterviewSession:
    return InterviewSession(deck, store, settings(), clock or fixed_clock(), seed=1, **options)


def test_one_drill_from_thirty_minutes_on_and_none_below() -> None:
    assert default_drills(29) == 0 and default_drills(30) == 1 and default_drills(600) == 1


def test_a_default_interview_ends_with_a_drill_whose_minutes_come_from_the_starting_questions(deck, store) -> None:
    session = interview(deck, store, minutes=45)
    assert [item.key for item in session.drills] == [session.drills[0].key] and session.drills[0].key in CODE_KEYS
    assert session.wanted == (45 - DRILL_MINUTES) // 5  # six starting questions wanted, not nine
    shorter = interview(deck, store, minutes=25)
    assert shorter.drills == [] and shorter.wanted == 5


def test_no_drill_is_counted_against_the_questions_when_the_topics_have_no_code_card(deck, store) -> None:
    interview_deck = load_deck([Path(__file__).parent.parent / "fixtures" / "interview"])
    session = InterviewSession(interview_deck, store, settings(), fixed_clock(), minutes=45, seed=1)
    assert session.drills == [] and session.wanted == 9


def test_drills_come_after_every_chain_and_are_numbered_apart(deck, store) -> None:
    session = interview(deck, store, minutes=60, questions=1, drills=2)
    seen = []
    while session.current is not None:
        seen.append((session.current.kind, session.in_drills, session.chain_number))
        if session.current.kind == "code":
            session.code_checked("pass", False, "Fail: 1 of 200 cases")
        else:
            answer(session, True)
    assert seen == [("choice", False, (1, 1)), ("code", True, (1, 2)), ("code", True, (2, 2))]


def test_drills_zero_asks_none_and_a_negative_count_is_refused(deck, store) -> None:
    assert interview(deck, store, minutes=60, drills=0).drills == []
    with pytest.raises(ValueError, match="coding drill"):
        interview(deck, store, drills=-1)


def test_a_drill_passed_by_real_code_is_logged_with_the_code_and_full_credit(deck, store) -> None:
    clock = fixed_clock()
    session = interview(deck, store, clock, minutes=30, questions=1, drills=1,
                        only={"coding/bn-choice", "coding/write-bn"})
    answer(session, False)  # the choice: a miss
    assert session.current.key == "coding/write-bn"
    clock.advance(minutes=7)
    task = session.current.drill
    verdict = check_code(BN_FORWARD, task.checker, function=task.function, time_limit=task.time_limit)
    assert verdict.passed, verdict.report()
    session.code_checked(BN_FORWARD, verdict.passed, verdict.headline)
    last = session.last
    assert last.is_drill and last.passed and last.credit == 1.0
    assert last.time_limit == DRILL_MINUTES * 60 and last.seconds == 7 * 60 and not last.over_time
    row = store.log("coding/write-bn")[-1]
    assert row.mode == "interview" and row.answer == BN_FORWARD
    assert json.loads(row.detail)["credit"] == 1.0


def test_failing_code_earns_nothing_and_the_drill_is_to_revisit(deck, store) -> None:
    session = interview(deck, store, minutes=30, questions=1, drills=1)
    answer(session, True)
    session.code_checked("def f(): pass", False, "Fail: the case x=[[1.0]] gives None")
    report = session.report()
    assert report.drills[0].credit == 0.0 and not report.drills[0].passed
    assert report.drills[0].key in report.to_revisit and report.score == 0.5


def test_the_report_lists_drills_apart_from_the_chains(deck, store) -> None:
    clock = fixed_clock()
    session = interview(deck, store, clock, minutes=30, questions=1, drills=1)
    answer(session, True)
    clock.advance(minutes=16)  # over the drill's 15 minutes
    session.code_checked(BN_FORWARD, True, "Pass: all 203 cases pass")
    report = session.report()
    assert report.starts_asked == 1 and len(report.chains) == 1 and report.chains[0].root == "coding/bn-choice"
    text = report_markdown(report, clock.tz)
    assert "over 2 questions in 1 chain and 1 coding drill;" in text
    drills = text.split("## Coding drills", 1)[1].split("##", 1)[0]
    assert "16:00/15:00 · over time | Pass: all 203 cases pass |" in drills
    assert "✓ passed the checks" in text.split("## Chains", 1)[0]  # in the questions' table
    assert report.drills[0].key in report.to_revisit  # right, but over its time


def test_a_drill_the_clock_did_not_reach_is_named(deck, store) -> None:
    clock = fixed_clock()
    session = interview(deck, store, clock, minutes=20, questions=1, drills=1)
    clock.advance(minutes=21)
    answer(session, True)
    report = session.report()
    assert session.finished and report.drills == [] and report.drills_cut_by_clock == 1
    text = report_markdown(report, clock.tz)
    assert "The coding drill was not reached: time ran out." in text
    assert "## Coding drills\n\nNone answered." in text


def test_asking_for_more_drills_than_there_are_code_cards_says_so(deck, store) -> None:
    session = interview(deck, store, minutes=60, drills=3)
    assert len(session.drills) == 2
    assert short_of_drills(session) == ("2 coding drills, not the 3 asked for: the deck has only 2 code cards "
                                        "(not suspended).")
    # No search was made: the words say where the drills came from, as those of the starting questions do.
    one = interview(deck, store, minutes=60, drills=2, only={"coding/write-bn"})
    assert short_of_drills(one) == ("1 coding drill, not the 2 asked for: the search finds only 1 code card "
                                    "(not suspended).")
    assert short_of_drills(interview(deck, store, minutes=60)) is None  # the default asks for none in particular


def test_a_search_chooses_the_drills_too(deck, store) -> None:
    session = interview(deck, store, minutes=60, drills=2, only={"coding/bn-choice", "coding/write-bn-backward"})
    assert [item.key for item in session.drills] == ["coding/write-bn-backward"]


def test_a_review_of_the_cards_to_revisit_asks_no_extra_drill(deck, store) -> None:
    session = interview(deck, store, minutes=60, keys=["coding/bn-choice"])
    assert session.drills == [] and [item.key for item in session.starts] == ["coding/bn-choice"]


def test_the_starting_questions_short_of_their_count_are_counted_with_the_drills_minutes_off(deck, store) -> None:
    session = interview(deck, store, minutes=45)  # six wanted: (45 - 15) / 5; the fixture has one to start with
    assert short_of_starts(session).startswith(
        "1 starting question, not the 6 of a 45-minute interview (one per 5 minutes, less 15 minutes for the coding drill):")
    session = interview(deck, store, minutes=60, drills=2)
    assert "not the 6 of a 60-minute interview (one per 5 minutes, less 15 minutes for each of the 2 coding drills)" in (
        short_of_starts(session))


def test_the_heading_says_what_is_asked_and_when_that_is_all_there_is(deck, store) -> None:
    """One wording for the app's subtitle and plain mode's first line (plain mode left out '(all there are)')."""
    from io import StringIO

    from quizapp.plain import PlainIO, run_plain_interview

    session = interview(deck, store, minutes=45)  # six starting questions wanted, one there
    assert what_is_asked(session) == ["1 starting question (all there are)", "1 coding drill"]
    assert what_is_asked(interview(deck, store, minutes=30, only=frozenset(CODE_KEYS))) == ["1 coding drill"]
    assert what_is_asked(interview(deck, store, minutes=20, questions=1)) == ["1 starting question"]
    out = StringIO()
    run_plain_interview(session, PlainIO(StringIO(":q\n"), out))
    assert out.getvalue().startswith("Mock interview: 1 starting question (all there are) then 1 coding drill, 45 min.")


def test_the_starting_questions_cut_by_the_clock_are_counted_with_the_drills_minutes_off(store) -> None:
    both = load_deck([DRILL_DECK, Path(__file__).parent.parent / "fixtures" / "interview"])
    clock = fixed_clock()
    session = interview(both, store, clock, minutes=35)  # four planned: (35 - 15) / 5
    assert len(session.starts) == 4 and len(session.drills) == 1
    clock.advance(minutes=36)
    answer(session, False)
    text = report_markdown(session.report(), clock.tz)
    assert "1 starting question asked of the 4 planned (one per 5 minutes, less 15 minutes for the coding drill):" in text


def test_a_code_card_that_follows_a_question_is_drawn_as_a_drill_by_its_weakness(store, tmp_path: Path) -> None:
    # No chain asks a code card, so being some card's follow-up must not make it wait behind the other drills.
    text = (DRILL_DECK / "coding.yaml").read_text(encoding="utf-8")
    text = text.replace("  - id: bn-choice\n", "  - id: bn-choice\n    follow_ups: [write-bn]\n")
    (tmp_path / "coding.yaml").write_text(text, encoding="utf-8")
    followed = load_deck([tmp_path / "coding.yaml"])
    assert not followed.errors, [str(e) for e in followed.errors]
    clock = fixed_clock()
    first = interview(followed, store, clock, minutes=30, drills=1, only={"coding/write-bn-backward"})
    first.code_checked("code", True, "Pass: all cases pass")  # this one is known now
    clock.advance(days=1)
    again = interview(followed, store, clock, minutes=30, drills=1)
    assert [item.key for item in again.drills] == ["coding/write-bn"]  # never answered: the weaker one


def test_a_report_of_drills_only_counts_no_empty_chains(deck, store) -> None:
    clock = fixed_clock()
    session = interview(deck, store, clock, minutes=30, drills=1, only={"coding/write-bn"})  # a search of code only
    assert session.starts == [] and session.in_drills
    session.code_checked("def f(): pass", False, "Fail: the case x=[[1.0]] gives None")
    text = report_markdown(session.report(), clock.tz)
    assert "**Score 0%** over 1 coding drill; 0:00 of 30 min (every question asked)." in text


def test_a_drill_is_a_drill_when_a_starting_question_was_already_asked_as_a_follow_up(store) -> None:
    # Every card starts a chain here, so a chain's follow-ups are starting questions too; those start none.
    both = load_deck([DRILL_DECK, Path(__file__).parent.parent / "fixtures" / "interview"])
    session = interview(both, store, minutes=120, questions=20, drills=1)
    while session.current is not None and session.current.kind != "code":
        answer(session, True)
    assert session.current is not None and len({a.chain for a in session.answers}) < len(session.starts)
    assert session.in_drills and session.chain_number == (1, 1)  # not "chain 5 of 8"


def test_plain_mode_takes_the_drill_from_a_file_and_says_only_questions_are_followed_up(deck, store,
                                                                                         tmp_path: Path) -> None:
    import io

    from quizapp.plain import PlainIO, run_plain_interview

    solution = tmp_path / "bn.py"
    solution.write_text(BN_FORWARD, encoding="utf-8")
    session = interview(deck, store, minutes=30, questions=1, drills=1, only={"coding/bn-choice", "coding/write-bn"})
    out = io.StringIO()
    run_plain_interview(session, PlainIO(io.StringIO(f"a\n{solution}\n"), out),
                        report=lambda s: report_markdown(s.report(), s.clock.tz))
    text = " ".join(out.getvalue().split())
    assert "1 starting question then 1 coding drill, 30 min. Each starting question is followed up" in text
    assert "--- Coding drill 1 of 1 · coding ·" in text and "✓ passed the checks" in text
    assert session.report().drills[0].passed and store.log("coding/write-bn")[-1].answer == BN_FORWARD


def test_a_drill_given_up_is_reported_as_no_code_checked(deck, store) -> None:
    clock = fixed_clock()
    session = interview(deck, store, clock, minutes=30, drills=1, only={"coding/write-bn"})
    session.show_answer()  # ctrl+s: the model solution on screen, a miss
    drills = report_markdown(session.report(), clock.tz).split("## Coding drills", 1)[1].split("##", 1)[0]
    assert "| write-bn (coding) | 0:00/15:00 | Not answered: no code was checked. |" in drills
    assert "here is the answer" not in drills  # the report shows no answer


def test_an_interview_of_code_cards_only_is_its_drills_and_says_so(deck, store) -> None:
    code_only = frozenset(CODE_KEYS)
    session = interview(deck, store, minutes=30, only=code_only)
    assert session.starts == [] and len(session.drills) == 1 and session.current.kind == "code"
    assert short_of_starts(session, brief=True) == "No starting question: only 1 coding drill"
    assert short_of_starts(session) == (
        "No starting question: the search finds no card that can start one (open, choice, numeric, generated or "
        "template, not suspended); only 1 coding drill is asked.")


def test_nothing_to_ask_but_code_cards_points_to_the_drills(deck, store) -> None:
    session = interview(deck, store, minutes=20, only=frozenset(CODE_KEYS))  # under 30 minutes: no drill
    assert session.finished
    assert drills_instead(session, option="add --drills N") == (
        "; 2 code cards can be asked as coding drills: add --drills N (one in an interview of 30 minutes or more)")
    assert drills_instead(interview(deck, store, minutes=20, drills=0, only=frozenset(CODE_KEYS)), option="x") == ""


def test_drills_that_need_more_than_the_whole_interview_are_warned_of(deck, store) -> None:
    assert drills_overrun(interview(deck, store, minutes=20, drills=2)) == (
        "2 coding drills of 15 minutes each take longer than the 20 minutes allowed: the clock will cut them short.")
    assert drills_overrun(interview(deck, store, minutes=10, drills=1)) == (
        "1 coding drill of 15 minutes takes longer than the 10 minutes allowed: the clock will cut it short.")
    assert drills_overrun(interview(deck, store, minutes=30, drills=2)) is None  # exactly fits


def test_plain_mode_says_the_verdict_before_its_details(deck, store, tmp_path: Path) -> None:
    # The details of an error (the line of code, the input) came first and the verdict that names them after,
    # so "    raise ValueError(...)" stood under the drill's prompt with nothing saying what it was.
    import io

    from quizapp.plain import PlainIO, run_plain_interview

    broken = tmp_path / "bn.py"
    broken.write_text("def batch_norm_forward(x, gamma, beta, eps):\n    raise ValueError('not yet')\n", "utf-8")
    session = interview(deck, store, minutes=30, questions=1, drills=1, only={"coding/write-bn"})
    out = io.StringIO()
    run_plain_interview(session, PlainIO(io.StringIO(f"{broken}\n\n"), out))
    text = out.getvalue()
    verdict = text.index("✗ Error (line 2): ValueError: not yet")
    assert verdict < text.index("    raise ValueError('not yet')") < text.index("Input:") < text.index("Model solution:")


def test_plain_mode_checks_a_drill_again_until_it_passes_as_the_editor_does(deck, store, tmp_path: Path) -> None:
    # One failed check ended the drill with the model solution on screen, where the editor lets the candidate
    # fix the code and check again for the drill's whole time, and counts it right once it passes.
    import io

    from quizapp.plain import PlainIO, run_plain_interview

    broken, fixed = tmp_path / "broken.py", tmp_path / "fixed.py"
    broken.write_text("def batch_norm_forward(x, gamma, beta, eps):\n    return x\n", "utf-8")
    fixed.write_text(BN_FORWARD, "utf-8")
    clock = fixed_clock()
    session = interview(deck, store, clock, minutes=30, questions=1, drills=1, only={"coding/write-bn"})
    out = io.StringIO()
    run_plain_interview(session, PlainIO(io.StringIO(f"{broken}\n{fixed}\n"), out))
    text = out.getvalue()
    assert text.index("✗ Fail") < text.index("check again") < text.index("✓ Pass") < text.index("Model solution:")
    assert text.count("Model solution:") == 1
    drill = session.report().drills[0]
    assert drill.passed and drill.credit == 1 and store.log("coding/write-bn")[-1].answer == BN_FORWARD

    kept = interview(deck, store, clock, minutes=30, questions=1, drills=1, only={"coding/write-bn"})
    out = io.StringIO()
    run_plain_interview(kept, PlainIO(io.StringIO(f"{broken}\n\n"), out))  # Enter: the failed check stands
    assert not kept.report().drills[0].passed and "Model solution:" in out.getvalue()
    assert store.log("coding/write-bn")[-1].answer == broken.read_text("utf-8")

    stopped = interview(deck, store, clock, minutes=30, questions=1, drills=1, only={"coding/write-bn"})
    run_plain_interview(stopped, PlainIO(io.StringIO(f"{broken}\n"), io.StringIO()))  # the input ends: kept too
    assert [a.passed for a in stopped.report().drills] == [False]


def test_a_drill_passed_after_failed_checks_says_how_many_it_took(deck, store) -> None:
    clock = fixed_clock()
    session = interview(deck, store, clock, minutes=30, questions=1, drills=1)
    answer(session, True)
    clock.advance(seconds=48)
    session.code_checked(BN_FORWARD, True, "Pass: all 203 cases pass", attempts=5)
    assert session.last.attempts == 5
    assert result_text(session.last) == "✓ passed the checks after 4 failed attempts"
    assert "✓ passed the checks after 4 failed attempts" in report_markdown(session.report(), clock.tz)
    assert json.loads(store.log(session.last.key)[-1].detail)["attempts"] == 5


@pytest.mark.parametrize(("passed", "attempts", "text"), [
    (True, 1, "✓ passed the checks at the first attempt"),
    (True, 2, "✓ passed the checks after 1 failed attempt"),
    (False, 1, "✗ failed the checks (1 attempt)"),
    (False, 3, "✗ failed the checks (3 attempts)"),
])
def test_a_drill_verdict_counts_its_attempts(deck, store, passed: bool, attempts: int, text: str) -> None:
    session = interview(deck, store, minutes=30, questions=1, drills=1)
    answer(session, True)
    session.code_checked("code", passed, "a verdict", attempts=attempts)
    assert result_text(session.last) == text
