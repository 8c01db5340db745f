"""A mock interview as text for people: the report (Markdown, for the report screen, plain mode and
`--report FILE.md`) and the list of past interviews with a chart of their trend."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from quizapp.links import web_links_only
from quizapp.plural import counted
from quizapp.study.interview import (
    DRILL_MINUTES,
    DRILLS_FROM_MINUTES,
    MAX_DEPTH,
    MINUTES_PER_START,
    ChainResult,
    InterviewAnswer,
    InterviewReport,
    InterviewSession,
    PastInterview,
)
from quizapp.study.questions import clock_time, points_summary

__all__ = ["STRENGTH_MEANING", "chain_end", "cut_by_clock", "history_lines", "report_markdown", "result_text",
           "drills_instead", "drills_overrun", "short_of_drills", "short_of_starts", "sparkline", "what_is_asked"]

STRENGTH_MEANING = ("Strength of a topic: the credit its questions earned divided by the questions asked. A right "
                    "answer earns 1, a miss 0, an open question the share of its key points made, a coding drill 1 "
                    "when its code passes the checks.")
SPARK = "▁▂▃▄▅▆▇█"


def what_is_asked(session: InterviewSession) -> list[str]:
    """'6 starting questions', '1 coding drill': what the interview asks, for its heading. An interview of drills
    only leaves its starting questions out ('0 starting questions' says nothing of use); fewer starting questions
    than asked for read '3 starting questions (all there are)'."""
    parts = []
    if session.starts or not session.drills:
        every = " (all there are)" if short_of_starts(session) else ""
        parts.append(counted(len(session.starts), "starting question") + every)
    if session.drills:
        parts.append(counted(len(session.drills), "coding drill"))
    return parts


def short_of_starts(session: InterviewSession, *, brief: bool = False) -> str | None:
    """Why fewer starting questions were drawn than wanted, in words (`brief`: in a line of a toast); None when
    every one wanted was drawn."""
    drawn, wanted = len(session.starts), session.wanted
    if not session.follows or drawn >= wanted:
        return None
    if not drawn and session.drills:  # code cards only: the interview is its drills
        drills = counted(len(session.drills), "coding drill")
        return (f"No starting question: only {drills}" if brief else
                f"No starting question: {_has(session)} no card that can start one (open, choice, numeric, "
                f"generated or template, not suspended); only {drills} {'is' if len(session.drills) == 1 else 'are'}"
                " asked.")
    if brief:
        return f"{drawn} of {wanted} starting questions: no other card can start one"
    asked = (f"the {wanted} asked for" if session.questions is not None
             else f"the {wanted} of a {session.minutes}-minute interview ({_one_per_start(len(session.drills))})")
    return (f"{counted(drawn, 'starting question')}, not {asked}: {_has(session)} only {counted(drawn, 'card')}"
            " that can start an interview (open, choice, numeric, generated or template, "
            "not suspended).")


def _one_per_start(drills: int) -> str:
    """How the starting questions were counted when not asked for: the coding drills' minutes come off first."""
    if not drills:
        return f"one per {MINUTES_PER_START} minutes"
    which = "the coding drill" if drills == 1 else f"each of the {drills} coding drills"
    return f"one per {MINUTES_PER_START} minutes, less {DRILL_MINUTES} minutes for {which}"


def drills_instead(session: InterviewSession, *, option: str) -> str:
    """For an interview with nothing to ask: that its code cards would be asked as coding drills, if it has any
    (`option` names how to ask for them); "" when it has none."""
    if not session.code_cards or session.drills or session.drills_asked == 0:
        return ""
    return (f"; {counted(session.code_cards, 'code card')} can be asked as coding drills: "
            f"{option} (one in an interview of {DRILLS_FROM_MINUTES} minutes or more)")


def short_of_drills(session: InterviewSession) -> str | None:
    """Why fewer coding drills were drawn than asked for, in words; None when every one was (or none was asked)."""
    drawn, wanted = len(session.drills), session.drills_wanted
    if session.drills_asked is None or drawn >= wanted:
        return None
    return (f"{counted(drawn, 'coding drill')}, not the {wanted} asked for: {_has(session)} only "
            f"{counted(drawn, 'code card')} (not suspended).")


def drills_overrun(session: InterviewSession) -> str | None:
    """That the coding drills drawn need more time than the whole interview has; None when they fit."""
    drills = len(session.drills)
    if DRILL_MINUTES * drills <= session.minutes:
        return None
    each, take = ("", "takes") if drills == 1 else (" each", "take")
    return (f"{counted(drills, 'coding drill')} of {DRILL_MINUTES} minutes{each} {take} longer than the "
            f"{counted(session.minutes, 'minute')} allowed: the clock will cut "
            f"{'it' if drills == 1 else 'them'} short.")


def _has(session: InterviewSession) -> str:
    """Where the interview's cards were drawn from, as the subject of 'has only ...'."""
    topics = session.topics
    return ("the search finds" if session.searched else f"the topic {topics[0]} has" if len(topics) == 1
            else "these topics have" if topics else "the deck has")


def cut_by_clock(report: InterviewReport) -> str | None:
    """That the clock cut the starting questions short, in words; None when every one drawn was asked."""
    drills = _drills_cut(report)
    if not report.starts_cut_by_clock:
        return drills
    asked = report.starts_asked
    planned = report.starts_planned
    of = (f"the {planned} asked for" if report.questions == planned
          else f"the {planned} planned ({_one_per_start(report.drills_planned)})" if report.questions is None
          else f"the {planned} drawn")
    starts = (f"{counted(asked, 'starting question')} asked of {of}: the {counted(report.minutes, 'minute')} allowed "
              f"no more ({counted(report.starts_cut_by_clock, 'starting question')} left unasked).")
    return f"{starts} {drills}" if drills else starts


def _drills_cut(report: InterviewReport) -> str | None:
    cut = report.drills_cut_by_clock
    if not cut:
        return None
    if cut == report.drills_planned:
        return ("The coding drill was" if cut == 1 else f"The {cut} coding drills were") + " not reached: time ran out."
    return f"{counted(cut, 'coding drill')} of {report.drills_planned} not reached: time ran out."


def result_text(answer: InterviewAnswer) -> str:
    """What an answer earned, in words: the key points made, or the verdict; marked ✓ or ✗ either way, so the
    misses of a report stand out whatever the question's type."""
    if answer.point_count:
        return f"{'✓' if answer.passed else '✗'} {points_summary(len(answer.points), answer.point_count)}"
    if _not_answered(answer):
        return "✗ not answered"
    if answer.is_drill:
        return ("✓ passed the checks" if answer.passed else "✗ failed the checks") + _attempts(answer)
    return "✓ right" if answer.passed else "✗ missed"


def _attempts(answer: InterviewAnswer) -> str:
    """How many checks a drill's verdict took, after its verdict: a pass at the fifth check is not a pass at the first."""
    tries = answer.attempts
    if tries <= 0:
        return ""
    if answer.passed:
        return " at the first attempt" if tries == 1 else f" after {counted(tries - 1, 'failed attempt')}"
    return f" ({counted(tries, 'attempt')})"


def _not_answered(answer: InterviewAnswer) -> bool:
    """The candidate gave up (or gave nothing) and was shown the answer."""
    return answer.outcome.response == "" and answer.outcome.message.startswith("Not answered")


def chain_end(chain: ChainResult) -> str:
    """Why a chain of follow-ups ended, in words."""
    if chain.stopped_at_miss:
        return "at a miss"
    if chain.cut_by == "user":
        return "stopped by the user"
    if chain.cut_by == "clock":
        return "cut by the clock"
    return f"at depth {MAX_DEPTH}" if chain.depth == MAX_DEPTH else "no more follow-ups"


def _cell(text: str) -> str:
    """A table cell of data: a pipe or a line break would end the cell."""
    return " ".join(text.replace("|", "\\|").split())


def _text(text: str) -> str:
    """A line of card text in the report: its Markdown kept, raw HTML and character references written out, so a
    viewer shows them as the app does instead of reading `<!--`, `<script>` or `&#x202E;` (the file is shared), and
    links kept only to web addresses (with `<` written out, no `<vscode://x>` is a link either)."""
    return web_links_only(_cell(text)).replace("&", "&amp;").replace("<", "&lt;")


def _card(key: str) -> str:
    """A card's key as a table cell that may wrap: `topic/id` has no space, `id (topic)` breaks before the topic."""
    topic, _, card = key.partition("/")
    return _cell(f"{card} ({topic})")


def report_markdown(report: InterviewReport, tz: tzinfo) -> str:
    started = report.started.astimezone(tz)
    answers = report.answers
    chains = report.chains
    ended = ("ended by the clock" if report.time_up else "ended early" if report.stopped
             else "every question asked" if answers else "nothing answered")
    # No answer is no score (not 0%, which reads as every answer wrong).
    drills = counted(len(report.drills), 'coding drill')
    # Only drills answered: "1 question in 0 chains and 1 coding drill" said it twice, once as nothing.
    over = (drills if not chains else f"{counted(len(answers), 'question')} in {counted(len(chains), 'chain')}"
            + (f" and {drills}" if report.drills else ""))
    summary = (f"**Score {report.score:.0%}** over {over}; {clock_time(report.elapsed)} of {report.minutes} "
               f"min ({ended})." if answers else
               f"**No score**: no question was answered ({ended}); nothing was recorded.")
    lines = [f"# Mock interview, {started:%Y-%m-%d %H:%M}", "", summary, ""]
    if (cut := cut_by_clock(report)) is not None:
        lines += [cut, ""]
    lines += [
        STRENGTH_MEANING,
        "",
        "## Questions",
        "",
    ]
    if answers:
        # Narrow enough for 80 columns: a follow-up is marked in its card cell, which wraps before the time.
        lines += ["| # | card (↳ a follow-up) | time/limit | result |", "|---|---|---|---|"]
        for number, answer in enumerate(answers, 1):
            late = " · over time" if answer.over_time else ""
            follow_up = "↳" * (answer.depth - 1) + " " * (answer.depth > 1)
            lines.append(f"| {number} | {follow_up}{_card(answer.key)} | "
                         f"{clock_time(answer.seconds)}/{clock_time(answer.time_limit)} | "
                         f"{_cell(result_text(answer))}{late} |")
    else:
        lines.append("No question was answered.")
    lines += ["", "## Chains", ""]
    if chains:
        lines += ["| chain | starts with | depth reached | asked | ended |", "|---|---|---|---|---|"]
        for number, chain in enumerate(chains, 1):
            lines.append(f"| {number} | {_card(chain.root)} | {chain.depth} of {MAX_DEPTH} | {len(chain.answers)} | "
                         f"{chain_end(chain)} |")
    else:
        lines.append("None.")
    if report.drills_planned or report.drills:
        lines += ["", "## Coding drills", ""]
        lines += _drill_lines(report)
    lines += ["", "## Strength by topic", ""]
    if report.topics:
        lines += ["| topic | strength | questions |", "|---|---|---|"]
        lines += [f"| {_cell(t.topic)} | {t.strength:.0%} | {t.asked} |" for t in report.topics]
    else:
        lines.append("None.")
    missed_points = [a for a in answers if a.point_count and len(a.points) < a.point_count]
    if missed_points:
        lines += ["", "## Key points left out", ""]
        for answer in missed_points:
            card = answer.question.item.card.card
            left = [p.text for i, p in enumerate(card.key_points) if i not in answer.points]
            # One point an item: joined in a line, a point with a ';' of its own read as two.
            lines.append(f"- **{_cell(answer.key)}**")
            lines += [f"  - {_text(text)}" for text in left]
    lines += ["", "## To revisit", ""]
    revisit = report.to_revisit
    if revisit:
        lines += [f"- {key}" for key in revisit]
    else:
        lines.append("Nothing: every answer was right and in time." if answers else "Nothing answered.")
    return "\n".join(lines) + "\n"


def _drill_lines(report: InterviewReport) -> list[str]:
    """Each coding drill with its time and the checks' verdict on the code written."""
    if not report.drills:
        return ["None answered."]
    lines = ["| drill | time/limit | verdict |", "|---|---|---|"]
    for answer in report.drills:
        late = " · over time" if answer.over_time else ""
        # Given up: the message shown then ("here is the answer") would point at a solution the report lacks.
        verdict = "Not answered: no code was checked." if _not_answered(answer) else answer.outcome.message
        lines.append(f"| {_card(answer.key)} | {clock_time(answer.seconds)}/{clock_time(answer.time_limit)}{late} | "
                     f"{_text(verdict)} |")
    return lines


def sparkline(values: Sequence[float]) -> str:
    """Scores from 0 to 1 as one block character each, oldest first."""
    return "".join(SPARK[min(len(SPARK) - 1, max(0, int(value * (len(SPARK) - 1) + 0.5)))] for value in values)


def history_lines(past: Sequence[PastInterview], tz: tzinfo, limit: int = 20) -> list[str]:
    """Past interviews, newest last, with their score and a trend line (plain text)."""
    if not past:
        return ["No interviews yet: start one with `quizapp interview`."]
    shown = list(past)[-limit:]
    latest = f", the latest {len(shown)} of {len(past)}" if len(shown) < len(past) else ""
    lines = [f"Past interviews{latest} (score: credit over questions):"]
    for entry in shown:
        lines.append(f"  {entry.started.astimezone(tz):%Y-%m-%d %H:%M}  {entry.score:>4.0%}  "
                     f"{entry.questions:>2} {'question' + 's' * (entry.questions != 1):<9}  deepest chain {entry.deepest}")
    if len(shown) == 1:  # one score is no trend ("59% to 59%" read as a flat one)
        lines.append(f"Trend: none yet (first interview: {shown[0].score:.0%}); the next interview starts one.")
        return lines
    lines.append(f"Trend (oldest to newest): {sparkline([entry.score for entry in shown])}  "
                 f"{shown[0].score:.0%} to {shown[-1].score:.0%}")
    return lines
