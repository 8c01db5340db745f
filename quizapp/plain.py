"""The plain-text front end: questions on stdout, answers line by line from stdin.

For scripts, screen readers and tests. `:q` or the end of input stops cleanly; every review already
made is on disk, and each one is confirmed with a line that says so.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from fsrs import Rating

from quizapp.deck.plaintext import inline_runs, markdown_to_text, sources_line, terminal_width, with_label, wrap_text
from quizapp.interview_report import drills_overrun, result_text, short_of_drills, short_of_starts, what_is_asked
from quizapp.plural import counted
from quizapp.safetext import visible
from quizapp.formatting import leech_warning, set_aside_note, shelved_note
from quizapp.study.clock import to_ms
from quizapp.study.marking import describe_marks
from quizapp.study.interview import MAX_DEPTH, InterviewSession, time_limit
from quizapp.study.questions import LETTERS, TYPED, Outcome, Question, clock_time, countdown, parse_points, time_left
from quizapp.study.queue import MAX_EXTRA_NEW, MORE_NEW_DEFAULT
from quizapp.study.quiz import NO_SCORE, QuizSession
from quizapp.study.review import Recorded, ReviewSession, undone_text
from quizapp.study.scheduling import RATINGS, format_interval
from quizapp.study.store import StoreError, UndoConflict

if TYPE_CHECKING:
    from datetime import datetime

    from quizapp.drills.runner import Verdict

__all__ = ["run_plain_interview", "run_plain_quiz", "run_plain_review"]

QUIT = ":q"
# Typed at any prompt of a review: shelve the current card (as Anki's @ and - keys), or undo the last step.
MARK_COMMANDS = {":s": "suspend", ":b": "bury", ":u": "undo"}


class _Stop(Exception):
    """The user typed :q or input ended."""


class _Mark(Exception):
    """The user typed :s, :b or :u: suspend or bury the current card, or undo the last step."""

    def __init__(self, action: str) -> None:
        super().__init__(action)
        self.action = action


class PlainIO:
    def __init__(self, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout, width: int | None = None) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.marking = False  # whether :s and :b are understood (in a review)
        # Card text is reflowed to a terminal's width (content is written about 100 columns wide, and a
        # terminal cuts longer lines mid-word); a pipe or a file gets the author's lines as they are.
        self.width = width if width is not None else terminal_width(stdout)

    def md(self, text: str, indent: int = 0) -> str:
        """Card Markdown as plain text for this output, `indent` columns in from its left edge."""
        return md(text, None if self.width is None else self.width - indent)

    # Everything goes out through `visible`: card text is data and must not reach the terminal raw.
    def say(self, text: str = "") -> None:
        """The app's own words, each line wider than the terminal broken between words."""
        print(visible(wrap_text(text, self.width)), file=self.stdout, flush=True)

    def show(self, text: str) -> None:
        """Text laid out already (card Markdown from `md`, code, a checker's report): as it is, so code keeps
        its lines and a table its rows."""
        print(visible(text), file=self.stdout, flush=True)

    def ask(self, prompt: str) -> str:
        """The answer typed after `prompt`, which is broken between words as `say` breaks a line (the rating's
        was cut mid-word at the terminal's edge); :q stops, and in a review :s, :b and :u mark."""
        words = prompt.rstrip(" ")
        print(visible(wrap_text(words, self.width) + prompt[len(words):]), end="", file=self.stdout, flush=True)
        line = self.stdin.readline()
        if not line or line.strip() == QUIT:
            raise _Stop
        if self.marking and line.strip() in MARK_COMMANDS:
            raise _Mark(MARK_COMMANDS[line.strip()])
        return line.strip()


def run_plain_review(session: ReviewSession, io: PlainIO | None = None) -> int:
    io = io or PlainIO()
    io.marking = not session.cram
    if io.marking:
        io.say("(at any prompt, :s suspends the card, :b buries it until tomorrow, :u undoes the last rating, "
               "suspend or bury, :q stops)")
    try:
        _offer_more_new(io, session)
        while True:
            while (question := session.current) is not None:
                try:
                    _review_one(io, session, question)
                except _Mark as command:
                    _mark_current(io, session, command.action)
            if not (io.marking and _undid_at_end(io, session)):
                break
    except _Stop:
        io.say(f"\nstopped; {counted(session.reviewed, 'review')} recorded.")
        return 0
    io.say(f"\nNothing more is due now; {counted(session.reviewed, 'review')} recorded.")
    if session.next_learning_due:
        io.say(f"Next learning card due at {session.next_learning_due.astimezone(session.clock.tz):%H:%M}.")
    if shelved := shelved_note(session.shelved_found()):
        io.say(shelved)  # as the app says it
    return 0


def _undid_at_end(io: PlainIO, session: ReviewSession) -> bool:
    """Nothing is left to review: as the app's "all done" screen, :u still undoes the last step (and its card is
    asked again). Whether it did; Enter, :q or the end of input finishes."""
    while session.can_undo:
        try:
            text = io.ask("\nAll done for now: :u undoes the last step, Enter finishes ")
        except _Stop:
            return False
        except _Mark as command:
            if command.action == "undo":
                _undo(io, session)
                if session.current is not None:
                    return True
                continue
            text = command.action
        if not text:
            return False
        io.say(f"no card is left to {text}: type :u to undo the last step, or press Enter to finish"
               if text in ("suspend", "bury") else "type :u to undo the last step, or press Enter to finish")
    return False


def _review_one(io: PlainIO, session: ReviewSession, question: Question) -> None:
    counts = session.counts()
    marks = describe_marks(session.marks(), to_ms(session.clock.now()))
    shown_marks = f" [{', '.join(marks)}]" if marks else ""
    aside = set_aside_note(session.set_aside_found())
    io.say(f"\n--- {question.key}{shown_marks}   new {counts.new} · learning {counts.learning} · review {counts.review}"
           + (f" · {aside}" if aside else ""))
    _show_question(io, question)
    if question.kind == "code":
        details = _answer_drill(io, session)
        outcome = session.outcome
        io.show(_verdict_block(io, question, outcome, details))
        rating = _ask_rating(io, session, suggested=session.suggested_rating())
    elif question.kind == "open":
        io.say(session.tick_points(_answer_open(io, question, session)).message)
        rating = _ask_rating(io, session, suggested=session.suggested_rating())
    elif question.auto_checked:
        _answer_until_readable(io, question, session)
        outcome = session.outcome
        io.show(_verdict_block(io, question, outcome))
        rating = _ask_rating(io, session, suggested=session.suggested_rating())
    else:
        io.ask("(Enter to show the answer) ")
        io.show("\n" + io.md(with_label("Answer:", question.answer)))
        _explain(io, question)
        rating = _ask_rating(io, session, suggested=None)
    recorded = _rate_until_recorded(io, session, rating, suggested=session.suggested_rating())
    when = f", next due in {format_interval(recorded.interval)}" if recorded.interval is not None else ""
    io.say(f"recorded: {question.key} rated {rating.name}{when}")
    if recorded.leech:
        io.say(leech_warning(recorded))


def _mark_current(io: PlainIO, session: ReviewSession, action: str) -> None:
    if action == "undo":
        _undo(io, session)
        return
    try:
        key = session.suspend() if action == "suspend" else session.bury()
    except StoreError as problem:
        io.say(f"not {action[:-1] if action.endswith('e') else action}ed: {problem}")
        return
    io.say(f"suspended: {key} (quizapp card unsuspend {key} brings it back)" if action == "suspend"
           else f"buried: {key} until the next study day")


def _undo(io: PlainIO, session: ReviewSession) -> None:
    """As ctrl+z in the app: the card undone is asked again."""
    try:
        entry = session.undo()
    except UndoConflict as conflict:
        io.say(f"not undone: {conflict}")
        return
    io.say(f"undid {undone_text(entry)}" if entry is not None else "nothing to undo in this session")


def _offer_more_new(io: PlainIO, session: ReviewSession) -> None:
    """A topic with nothing left to study now but new cards beyond today's limit: offer some of them today
    (Anki's "increase today's new card limit")."""
    if not session.finished or not (left := session.more_new_available()):
        return
    names = ", ".join(session.topics)
    io.say(f"Nothing is due in {names} now, and today's new-card limit is reached; {counted(left, 'new card')} left.")
    while True:
        text = io.ask(f"Learn how many more new cards from {names} today? [{MORE_NEW_DEFAULT}; 0 for none] ")
        count = MORE_NEW_DEFAULT if not text else int(text) if text.isdecimal() and len(text) <= 6 else -1
        if count == 0:
            return
        if 1 <= count <= MAX_EXTRA_NEW:
            session.learn_more_new(count)
            return
        io.say(f"Type a number from 0 to {MAX_EXTRA_NEW:,}, or press Enter for {MORE_NEW_DEFAULT}.")


def run_plain_quiz(session: QuizSession, io: PlainIO | None = None) -> int:
    io = io or PlainIO()
    try:
        while (question := session.current) is not None:
            number, total = session.position
            io.say(f"\n--- Question {number}/{total}   ({question.item.topic})")
            _show_question(io, question)
            if question.kind == "open":
                session.judge_open(_answer_open(io, question, session))
                last = session.last
                io.say(f"{'✓' if last.outcome.correct else '✗'} {last.outcome.message}")
                io.say(f"recorded: {question.key} {last.outcome.status}")
                continue
            if question.auto_checked:
                _answer_until_readable(io, question, session)
            else:
                io.ask("(Enter to show the answer) ")
                io.show("\n" + io.md(with_label("Answer:", question.answer)))
                session.self_grade(_ask_yes_no(io, "Did you know it? [y/n] "))
            last = session.last
            io.show(_verdict_block(io, question, last.outcome))
            io.say(f"recorded: {question.key} {last.outcome.status}")
    except _Stop:
        io.say("\nquiz stopped.")
    results = session.results()
    if not results.total:
        io.say(f"\n{NO_SCORE}")
        return 0
    io.say(f"\nScore: {results.score}/{results.total} ({results.percent:.0f}%)")
    for topic, (right, asked) in sorted(results.by_topic.items()):
        io.say(f"  {topic}: {right}/{asked}")
    return 0


def run_plain_interview(session: InterviewSession, io: PlainIO | None = None,
                        report: Callable[[InterviewSession], str] | None = None) -> int:
    """A mock interview on stdin/stdout; at the end (or at :q) the report, as `report` writes it."""
    io = io or PlainIO()
    parts = what_is_asked(session)
    follow = (f" Each starting question is followed up until a miss (at most {MAX_DEPTH} deep)."
              if session.starts else "")
    io.say(f"Mock interview: {' then '.join(parts)}, {session.minutes} min.{follow} "
           f"Type {QUIT} to stop; every answer so far is kept.")
    for short in (short_of_starts(session), short_of_drills(session), drills_overrun(session)):
        if short is not None:
            io.say(short)
    try:
        while (question := session.current) is not None:
            chain, chains = session.chain_number
            session.start_clock()  # before the countdowns: they count from now
            cut = (f" (cut from {clock_time(time_limit(question))}: the interview ends first)"
                   if session.question_time_cut() else "")
            where = (f"Coding drill {chain} of {chains}" if session.in_drills
                     else f"Chain {chain} of {chains} · depth {session.depth}")
            io.say(f"\n--- {where} · {question.item.topic} · "
                   f"interview left {countdown(session.time_left().total_seconds())} · "
                   f"this question {countdown(session.question_time_left().total_seconds())}{cut}")
            _show_question(io, question)
            if question.kind == "code":
                details = _answer_drill(io, session, again=True)
                io.show(_verdict_block(io, question, session.last.outcome, details))
            elif question.kind == "open":
                outcome = session.judge_open(_answer_open(io, question, session, session.question_time_limit()))
                io.say(f"{'✓' if outcome.correct else '✗'} {outcome.message}")
            elif question.auto_checked:
                _answer_until_readable(io, question, session)
                io.show(_verdict_block(io, question, session.last.outcome))
            else:
                io.ask("(Enter to show the answer) ")
                io.show("\n" + io.md(with_label("Answer:", question.answer)))
                session.self_grade(_ask_yes_no(io, "Did you know it? [y/n] "))
            last = session.last
            late = ", over time" if last.over_time else ""
            io.say(f"recorded: {question.key} {result_text(last)} in {clock_time(last.seconds)} "
                   f"of {clock_time(last.time_limit)}{late}")
        if session.time_up:
            io.say("\nTime is up.")
    except _Stop:
        session.finish()
        io.say("\ninterview stopped.")
    io.show("\n" + io.md(report(session) if report else ""))
    return 0


def md(text: str, width: int | None = None) -> str:
    """Markdown with LaTeX math -> clean plain text (math in Unicode, no Markdown markers or escapes),
    reflowed to `width` when given."""
    return markdown_to_text(text, width)


def _hanging(head: str, text: str) -> str:
    """`head` then the text, its later lines indented under its first (a wrapped option reads as one)."""
    return head + text.replace("\n", "\n" + " " * len(head))


def _option(io: PlainIO, head: str, text: str, why: str | None = None) -> str:
    """An option on one line as the TUI draws it (its inline Markdown, line breaks as spaces: a line of its own
    could pass for another option), then its `why`, wrapped under itself."""
    line = "".join(run for run, _marks in inline_runs(text)) + (f" — {io.md(why)}" if why else "")
    return _hanging(head, wrap_text(line, None if io.width is None else io.width - len(head)))


def _show_question(io: PlainIO, question: Question) -> None:
    io.show(io.md(question.prompt))
    for index, option in enumerate(question.options):
        io.show(_option(io, f"  {LETTERS[index]}) ", option.text))
    if question.kind == "choice":
        io.say("(choose all that apply)" if question.multiple else "(choose one)")


def _answer_until_readable(io: PlainIO, question: Question, session: ReviewSession | QuizSession) -> None:
    """Ask until the answer can be read; an empty line twice shows the answer (a miss), as ctrl+s does in the
    app: a candidate who does not know a choice question need not guess."""
    prompt = "Your answer (letters): " if question.kind == "choice" else "Your answer: "
    empty = 0
    while True:
        text = io.ask(prompt)
        if not text.strip():
            empty += 1
            if empty == 2:
                session.show_answer()
                return
            io.say("Type your answer, or press Enter again to see it (counted as a miss).")
            continue
        outcome = session.check(text)
        if outcome.status != "invalid":
            return
        io.say(outcome.message)


def _answer_open(io: PlainIO, question: Question, session: ReviewSession | QuizSession | InterviewSession,
                 limit: int | None = None) -> frozenset[int]:
    """An open question: the time limit (`limit`, else the card's own), a typed answer (or none, if answered
    aloud), the model answer and the key points (those whose keywords the typed answer has marked, as a hint),
    then which points were made (Enter: none); the review session's suggested rating follows them."""
    limit = limit if limit is not None else question.time_limit or 0
    io.say(f"(open question: {clock_time(limit)} to answer; answer aloud, or type your answer "
           "and end it with an empty line)")
    started = session.clock.now()
    lines: list[str] = []
    while line := io.ask("> "):
        lines.append(line)
    io.say(_time_taken(limit, (session.clock.now() - started).total_seconds()))
    suggested = session.reveal_open("\n".join(lines)).suggested
    io.show("\n" + io.md(with_label("Model answer:", question.answer)))
    io.say("\nKey points:")
    for index, point in enumerate(question.key_points):
        mark = "  (keyword found in your answer)" if index in suggested else ""
        head = f"  {index + 1}. "
        width = None if io.width is None else io.width - len(head)
        io.show(_hanging(head, wrap_text(io.md(point.text, len(head)) + mark, width)))
    _explain(io, question)
    if suggested:  # a hint only: keywords cannot see a negation, so nothing is made for the user
        io.say("Keywords found are a hint, not a verdict: type the points you made yourself.")
    while True:
        text = io.ask("Which points did you make? Numbers like '1 3', 'all' or 'none' [Enter: none]: ")
        points = parse_points(text, len(question.key_points)) if text else frozenset()
        if not isinstance(points, str):
            break
        io.say(points)
    return points


def _time_taken(limit: int, elapsed: float) -> str:
    over, past = time_left(limit, elapsed)
    return f"took {clock_time(elapsed)}, {over.removesuffix(' over')} past the {clock_time(limit)} limit" if past \
        else f"took {clock_time(elapsed)} of {clock_time(limit)}"


def _answer_drill(io: PlainIO, session: ReviewSession | InterviewSession, *, again: bool = False) -> str | None:
    """A coding drill: the user names the file holding their code, which is checked as `quizapp drill` does.
    With `again` (a mock interview, as its editor does) a check that does not pass is shown and the file may be
    fixed and checked again; Enter, or the end of the input, keeps the last check as the answer.
    Returns what the check says past its headline (the failing input, the line that raised), for the verdict
    (None when it was shown already)."""
    from pathlib import Path

    from quizapp.drills.runner import check_code

    task = session.current.drill
    io.show(f"\nStarter code:\n{task.starter}")
    last: tuple[str, Verdict, datetime] | None = None  # a check that did not pass, kept until Enter
    checks = 0
    prompt = "Path to your solution (.py), or Enter to see the model solution (counted as a miss): "
    while True:
        try:
            name = io.ask(prompt)
        except _Stop:
            if last is not None:
                session.code_checked(last[0], False, last[1].headline, last[2], checks)
            raise
        if not name:
            if last is None:
                session.show_answer()
            else:
                session.code_checked(last[0], False, last[1].headline, last[2], checks)
            return None
        try:
            code = Path(name).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            io.say(f"cannot read {name}: {exc}")
            continue
        verdict = check_code(code, task.checker, function=task.function, time_limit=task.time_limit)
        at = session.clock.now()  # the drill's time ends at its last check
        checks += 1
        if verdict.passed or not again:
            session.code_checked(code, verdict.passed, verdict.headline, at, checks)
            details = verdict.report().split("\n", 1)  # its first line is the headline, the verdict's message
            return details[1] if len(details) > 1 else None
        io.show(f"✗ {verdict.report()}")
        last = (code, verdict, at)
        prompt = "Fix it and check again: the path (Enter keeps this verdict and shows the model solution): "


def _verdict_block(io: PlainIO, question: Question, outcome: Outcome, details: str | None = None) -> str:
    """The verdict, then its `details` (a drill's failing input), then what the answer was and why."""
    lines = [wrap_text(f"{'✓' if outcome.correct else '✗'} {outcome.message}", io.width)]
    if details:
        lines.append(details)
    if question.kind == "choice":
        for index, option in enumerate(question.options):
            lines.append(_option(io, f" {'*' if option.correct else ' '}{LETTERS[index]}) ", option.text, option.why))
    elif question.kind == "code":
        lines.append("Model solution:\n" + question.drill.solution)
    elif question.kind in TYPED and not outcome.response:  # a typed answer's verdict states it
        lines.append(f"Expected: {question.answer}")
    if question.solution:
        lines.append("\nSolution:\n" + io.md(question.solution))
    if question.explanation:
        lines.append("\n" + io.md(question.explanation))
    if question.sources:
        lines.append(wrap_text(sources_line(question.sources), io.width))
    return "\n".join(lines)


def _explain(io: PlainIO, question: Question) -> None:
    if question.explanation:
        io.show("\n" + io.md(question.explanation))
    if question.sources:
        io.say(sources_line(question.sources))


def _ask_rating(io: PlainIO, session: ReviewSession, suggested: Rating | None) -> Rating:
    intervals = session.intervals()
    labels = "  ".join(f"{int(r)} {r.name} ({format_interval(intervals[r])})" for r in RATINGS)
    hint = f" [suggested: {suggested.name}; Enter accepts it]" if suggested else ""
    while True:
        text = io.ask(f"Rate: {labels}{hint}: ")
        if not text and suggested:
            return suggested
        if text in {"1", "2", "3", "4"}:
            return Rating(int(text))
        io.say("Type 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)" + (", or Enter to accept the suggestion" if suggested else ""))


def _rate_until_recorded(io: PlainIO, session: ReviewSession, rating: Rating, suggested: Rating | None) -> Recorded:
    """Record the rating; if the store cannot (locked, disk full), say so and ask for the rating again."""
    while True:
        try:
            return session.rate(rating)
        except StoreError as problem:
            io.say(f"not recorded: {problem}")
            rating = _ask_rating(io, session, suggested)


def _ask_yes_no(io: PlainIO, prompt: str) -> bool:
    while True:
        text = io.ask(prompt).lower()
        if text in {"y", "yes"}:
            return True
        if text in {"n", "no"}:
            return False
        io.say("Type y or n.")
