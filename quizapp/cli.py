"""Command-line entry point: parses arguments, builds the domain objects and hands them on.

Heavy modules (textual, numpy, pydantic) are imported inside the commands that need them, so
`quizapp --version` and `quizapp --help` stay instant.
"""

from __future__ import annotations

import argparse
import shlex
import sqlite3
import sys
import typing
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from quizapp import __version__
from quizapp.errors import UserError
from quizapp.plural import counted
from quizapp.safetext import shown_path, visible

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None) or _run_tui
    try:
        return int(handler(args) or 0)
    except UserError as exc:
        _say(f"quizapp: {exc}", error=True)
        return exc.exit_code
    except KeyboardInterrupt:
        _say("quizapp: interrupted", error=True)
        return 130
    except BrokenPipeError:
        return 0
    except sqlite3.DatabaseError as exc:
        _say(f"quizapp: the review database cannot be used: {exc}; it was left as it is", error=True)
        return 2


def _say(text: str, *, error: bool = False) -> None:
    """Print a line that may hold data (names, paths, messages quoting a file): shown, never run, by the terminal."""
    print(visible(text), file=sys.stderr if error else sys.stdout)


class _Parser(argparse.ArgumentParser):
    """argparse, with a hint where a value that starts with '-' was taken for an option."""

    def error(self, message: str) -> typing.NoReturn:
        if self.prog.endswith(" check") and ("required: ANSWER" in message or "unrecognized arguments" in message):
            message += ("; an answer that starts with '-' goes after '--', as in "
                        "`quizapp check NAME --seed N -- -0.5`")
        super().error(visible(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="quizapp",
        description="Spaced-repetition drills for ML and deep-learning interviews. "
        "With no command, opens the study app.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    _add_common(parser, suppress=False)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in _COMMANDS:
        register(commands)
    return parser


def _add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS
    group = parser.add_argument_group("content and data")
    group.add_argument(
        "--content",
        metavar="DIR",
        action="append",
        default=default if suppress else [],
        help="also load content files from DIR (repeatable; also $QUIZAPP_CONTENT)",
    )
    group.add_argument(
        "--no-builtin",
        action="store_true",
        default=default if suppress else False,
        help="do not load the built-in deck",
    )
    group.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default if suppress else None,
        help="where reviews and your own content live (also $QUIZAPP_DATA_DIR)",
    )


def _command(commands: argparse._SubParsersAction, name: str, help_text: str) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=help_text, description=help_text)
    _add_common(sub, suppress=True)
    return sub


# --- commands -------------------------------------------------------------------------------------


def _register_validate(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "validate", "check content files and report every problem with file:line")
    sub.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: all loaded content)")
    sub.set_defaults(handler=_validate)


def _validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.authoring import validation_report
    from quizapp.deck import load_deck

    paths = [Path(p) for p in args.paths] or _locations(args).paths()
    deck = load_deck(paths)
    lines, clean = validation_report(deck)
    _say("\n".join(lines))
    return 0 if clean else 1


def _register_schema(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "schema", "print the JSON Schema of a content file (for editors)")
    sub.set_defaults(handler=_schema)


def _schema(args: argparse.Namespace) -> int:
    from quizapp.authoring import schema_text

    print(schema_text())
    return 0


def _register_new(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "new", "write a commented starter content file for a new topic")
    sub.add_argument("topic", metavar="TOPIC", help="topic id: lowercase words joined by '-', like 'dropout'")
    sub.add_argument("--title", help="the topic's title (default: from the id)")
    sub.add_argument("--force", action="store_true", help="replace the topic's file if it exists")
    sub.set_defaults(handler=_new)


def _new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.authoring import write_starter

    folder = Path(args.content[0]) if args.content else _locations(args).user
    path = write_starter(folder, args.topic, args.title, force=args.force)
    _say(f"wrote {shown_path(path)}\nedit it, then run: quizapp validate {shown_path(path)}")
    return 0


def _register_topics(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "topics", "list topics with their card counts by type")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=_topics)


def _topics(args: argparse.Namespace) -> int:
    import json

    from quizapp.authoring import topic_rows, topics_table

    deck = _load(args)
    rows = topic_rows(deck)
    _say(json.dumps(rows, indent=2) if args.json else topics_table(rows))
    _warn_errors(deck)
    return 0


def _register_glossary(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "glossary", "list the English terms with their Chinese terms and topics (search either)")
    sub.add_argument("term", nargs="?", metavar="TERM",
                     help="show only terms containing TERM, in English (any case) or in Chinese")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=_glossary)


def _glossary(args: argparse.Namespace) -> int:
    import json

    from quizapp.glossary import glossary_rows, glossary_table, search_glossary

    deck = _load(args)
    rows = search_glossary(glossary_rows(deck), args.term)
    _warn_errors(deck)
    if args.json:
        _say(json.dumps([row.to_dict() for row in rows], indent=2, ensure_ascii=False))
    elif rows:
        _say(glossary_table(rows))
    elif args.term:
        _say(f"no glossary term matches '{args.term}' (in English or Chinese); "
             "`quizapp glossary` lists them all")
    else:
        _say("no glossary terms: the loaded topics list none (a topic's `glossary:` field)")
    return 0 if rows else 1


def _register_generate(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "generate", "print a generated numeric question from a solver or a template card")
    sub.add_argument("name", nargs="?", metavar="NAME", help="solver name (see --list), or a card as topic/id")
    sub.add_argument("--list", action="store_true", help="list the solvers")
    sub.add_argument("--seed", type=_seed, default=None, help="instance seed (default: random)")
    sub.add_argument("--difficulty", type=int, default=None, choices=(1, 2, 3),
                     help="default: the card's own, or 1 for a solver")
    sub.add_argument("--show", action="store_true", help="also print the answer and the worked solution")
    sub.add_argument("--json", action="store_true", help="print the problem as JSON")
    sub.set_defaults(handler=_generate)


def _generate(args: argparse.Namespace) -> int:
    from quizapp.generate import print_problem, print_solver_list

    if args.list or not args.name:
        return print_solver_list()
    return print_problem(args.name, args.seed, args.difficulty, show=args.show, as_json=args.json,
                         load_deck=lambda: _load(args))


def _register_check(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "check", "check an answer to a generated question (exit 0 right, 1 wrong, 2 unreadable)")
    sub.add_argument("name", metavar="NAME", help="solver name, or a card as topic/id")
    sub.add_argument("answer", metavar="ANSWER", help="your answer, e.g. 0.75, 3/4, 75%% or [0.1, -0.2]; "
                     "one that starts with '-' goes after '--': `-- -0.5`")
    sub.add_argument("--seed", type=_seed, required=True, help="the seed the question was generated with")
    sub.add_argument("--difficulty", type=int, default=None, choices=(1, 2, 3),
                     help="default: the card's own, or 1 for a solver")
    sub.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from quizapp.generate import check_generated

    return check_generated(args.name, args.seed, args.difficulty, args.answer, load_deck=lambda: _load(args))


def _register_drill(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "drill", "coding drills: print one, or check your file (exit 0 pass, 1 fail, 2 invalid)")
    sub.add_argument("key", nargs="?", metavar="KEY", help="topic/id of a code card, or a checker name (see --list)")
    sub.add_argument("--list", action="store_true", help="list the drills")
    sub.add_argument("--file", type=Path, metavar="FILE", help="check this Python file against the drill")
    sub.add_argument("--hints", action="store_true", help="also print the card's hints")
    sub.add_argument("--solution", action="store_true", help="print the model solution")
    sub.add_argument("--seed", type=int, default=None, help="seed of the random cases (default: random)")
    sub.add_argument("--json", action="store_true", help="with --file: print the verdict as JSON")
    sub.add_argument("--edit", action="store_true", help="open the drill in the editor screen (with --file: that code)")
    sub.set_defaults(handler=_drill)


def _drill(args: argparse.Namespace) -> int:
    from quizapp.drills import commands
    from quizapp.drills.task import find_task

    deck = _load(args)
    if args.list or not args.key:
        return commands.print_drill_list(deck)
    task = find_task(deck, args.key)
    if args.edit:
        return commands.edit_drill(task, args.file, seed=args.seed)
    if args.file is not None:
        return commands.check_file(task, args.file, seed=args.seed, as_json=args.json)
    return commands.print_drill(task, solution=args.solution, hints=args.hints)


def _study_command(commands: argparse._SubParsersAction, name: str, help_text: str) -> argparse.ArgumentParser:
    sub = _command(commands, name, help_text)
    sub.add_argument("--topic", action="append", default=[], metavar="T", help="only this topic (repeatable)")
    sub.add_argument("--plain", action="store_true", help="plain text on stdin/stdout instead of the app")
    sub.add_argument("--seed", type=_seed, default=None, help="seed for generated questions and option order")
    _add_filter(sub)
    return sub


def _add_filter(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--filter", metavar="QUERY", default=None,
                     help='only the cards this search finds, as in browse: "failed:1", "tag:bn -is:new", '
                     '"topic:auc* OR prop:r<0.8" (see Searching in the README)')


def _register_review(commands: argparse._SubParsersAction) -> None:
    sub = _study_command(commands, "review", "review what is due today (spaced repetition)")
    sub.add_argument("--ahead", action="store_true", help="review ahead (cram): schedules stay as they are; "
                     "with --filter, cram those cards")
    sub.add_argument("--more-new", type=_more_new, default=None, metavar="N",
                     help="with --topic: learn N more new cards from each topic today, beyond the day's limits")
    sub.set_defaults(handler=_review)


def _more_new(text: str) -> int:
    from quizapp.study.queue import MAX_EXTRA_NEW

    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_EXTRA_NEW:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to {MAX_EXTRA_NEW:,}, not {visible(text)!r}")
    return value


def _review(args: argparse.Namespace) -> int:
    _check_query(args.filter)
    if args.more_new is not None and (not args.topic or args.ahead):
        raise UserError("--more-new gives more new cards to a topic: use it with --topic T (and without --ahead)")
    if not args.plain:
        if args.more_new is not None:
            _learn_more_new(args)
        return _run_tui(args, start="review")
    from quizapp.plain import run_plain_review
    from quizapp.study.review import ReviewSession

    context, deck = _context_and_deck(args)
    _check_topics(deck, args.topic)
    with context.open_store() as store, _auto_sync(context, store):
        only = _filtered_keys(args.filter, deck, store, context)
        session = ReviewSession(deck, store, context.settings, context.clock, topics=args.topic,
                                seed=args.seed, cram=args.ahead, only=only)
        _check_not_all_shelved(args.filter, session)
        if args.more_new is not None:
            session.learn_more_new(args.more_new)
        return run_plain_review(session)


def _learn_more_new(args: argparse.Namespace) -> None:
    """--more-new before the app starts: today's allowance of the topics is raised in the store."""
    from quizapp.study.clock import StudyDay
    from quizapp.study.queue import learn_more_new

    context, deck = _context_and_deck(args)
    _check_topics(deck, args.topic)
    day = StudyDay.containing(context.clock.now(), context.clock.tz, context.settings.day_starts_at)
    with context.open_store() as store:
        learn_more_new(store, day, args.topic, args.more_new)


def _register_quiz(commands: argparse._SubParsersAction) -> None:
    sub = _study_command(commands, "quiz", "a scored quiz that leaves your review schedule alone")
    sub.add_argument("-n", "--count", type=int, default=10, help="number of questions (default 10)")
    sub.add_argument("--type", action="append", default=[], dest="types", metavar="TYPE",
                     help="card types to ask (repeatable; default: choice, numeric, generated, template)")
    sub.set_defaults(handler=_quiz)


def _quiz(args: argparse.Namespace) -> int:
    _check_query(args.filter)
    if not args.plain:
        from quizapp.study.quiz import QuizOptions
        from quizapp.tui.launch import run_app

        try:
            options = QuizOptions(tuple(args.types), args.count)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        return run_app(_context(args), start="quiz", topics=args.topic, query=args.filter, quiz=options)
    from quizapp.plain import run_plain_quiz
    from quizapp.study.quiz import ALL_TYPES, DEFAULT_QUIZ_TYPES, QuizSession

    context, deck = _context_and_deck(args)
    _check_topics(deck, args.topic)
    with context.open_store() as store, _auto_sync(context, store):
        only = _filtered_keys(args.filter, deck, store, context)
        types = args.types or (ALL_TYPES if only is not None else DEFAULT_QUIZ_TYPES)  # a search chose the cards
        try:
            session = QuizSession(deck, store, context.clock, topics=args.topic, types=types, count=args.count,
                                  seed=args.seed, only=only)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if session.finished:
            raise UserError("no cards match that quiz: try other topics or --type values")
        return run_plain_quiz(session)


def _register_interview(commands: argparse._SubParsersAction) -> None:
    sub = _study_command(commands, "interview", "a timed mock interview: questions and their follow-ups until a miss, then a coding drill")
    sub.add_argument("--minutes", type=_minutes, default=45, help="length of the interview (default 45, at most 600)")
    sub.add_argument("--questions", type=_positive, default=None, metavar="N",
                     help="starting questions (default: one per 5 minutes, less 15 minutes for each coding drill)")
    sub.add_argument("--drills", type=_count, default=None, metavar="N",
                     help="coding drills after the questions, 15 minutes each (default: 1 in an interview of "
                          "30 minutes or more; 0 for none)")
    sub.add_argument("--report", type=Path, metavar="FILE.md", help="also write the report as Markdown")
    sub.add_argument("--force", action="store_true", help="replace FILE.md if it exists")
    sub.add_argument("--scheduled", action="store_true",
                     help="let the answers change your review schedule (default: they are logged only)")
    sub.add_argument("--history", action="store_true", help="list past interviews with their scores, and stop")
    sub.set_defaults(handler=_interview)


def _interview(args: argparse.Namespace) -> int:
    from quizapp.interview_report import history_lines
    from quizapp.safewrite import check_target
    from quizapp.study.interview import past_interviews

    if args.history:
        context = _context(args)
        with context.open_store(readonly=True) as store:
            _say("\n".join(history_lines(past_interviews(store), context.clock.tz)))
        return 0
    _check_query(args.filter)
    if args.report is not None:
        check_target(args.report, force=args.force, protected=_database_files(args))  # before, not after
    if not args.plain:
        from quizapp.study.interview import InterviewOptions
        from quizapp.tui.launch import run_app

        options = InterviewOptions(args.minutes, args.questions, args.scheduled, args.report, args.force, args.drills)
        return run_app(_context(args), start="interview", topics=args.topic, query=args.filter, interview=options)
    from quizapp.interview_report import report_markdown
    from quizapp.plain import run_plain_interview
    from quizapp.safewrite import write_text

    context, deck = _context_and_deck(args)
    _check_topics(deck, args.topic)
    with context.open_store() as store:
        session = _interview_session(args, context, deck, store, _filtered_keys(args.filter, deck, store, context))

        def report(finished) -> str:
            text = report_markdown(finished.report(), context.clock.tz)
            if args.report is not None:
                write_text(args.report, text, force=args.force, protected=_database_files(args))
            return text

        code = run_plain_interview(session, report=report)
    if args.report is not None:
        _say(f"wrote the report to {args.report}")
    return code


def _interview_session(args: argparse.Namespace, context, deck, store, only):
    from quizapp.study.interview import InterviewSession

    session = InterviewSession(deck, store, context.settings, context.clock, topics=args.topic,
                               minutes=args.minutes, questions=args.questions, seed=args.seed,
                               scheduled=args.scheduled, only=only, drills=args.drills)
    if session.finished:
        found = " among the cards the search finds" if only is not None else ""
        from quizapp.interview_report import drills_instead

        raise UserError(f"no cards to ask in an interview (open, choice, numeric, generated or template){found}: "
                        "try other topics" + (" or another search" if only is not None else "")
                        + drills_instead(session, option="add --drills N"))
    return session


def _whole_number(text: str, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < least:
        raise argparse.ArgumentTypeError(f"must be at least {least}, not {value}")
    return value


def _positive(text: str) -> int:
    return _whole_number(text, 1)


def _count(text: str) -> int:
    """A whole number of things, none allowed (0 turns them off)."""
    return _whole_number(text, 0)


def _minutes(text: str) -> int:
    """An interview's length: what the setup screen accepts, so both front ends agree."""
    from quizapp.study.interview import MAX_MINUTES

    value = _positive(text)
    if value > MAX_MINUTES:
        raise argparse.ArgumentTypeError(f"at most {MAX_MINUTES} minutes, not {value}")
    return value


def _register_plan(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "plan", "set the date of your interview and see the study plan to be ready by then")
    sub.add_argument("date", nargs="?", metavar="YYYY-MM-DD", help="the interview's date (none: show the plan)")
    sub.add_argument("--topic", action="append", default=[], metavar="T",
                     help="the topics the interview covers (repeatable; default: every topic)")
    choice = sub.add_mutually_exclusive_group()
    choice.add_argument("--accept", action="store_true", help="use the plan's pace of new cards until the date")
    choice.add_argument("--keep", action="store_true", help="keep your own new_per_day (the default without a tty)")
    choice.add_argument("--clear", action="store_true", help="forget the interview date: your own limits apply")
    sub.set_defaults(handler=_plan)


def _plan(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from quizapp.settings_file import remove_setting
    from quizapp.study.clock import StudyDay
    from quizapp.study.plan import FINAL_DAYS, days_left, final_day, make_plan, parse_date, plan_lines

    context = _context(args)
    settings, path = context.settings, context.config_path
    if path is None:
        raise UserError("no settings file to keep the interview date in; set $QUIZAPP_CONFIG")
    today = StudyDay.containing(context.clock.now(), context.clock.tz, settings.day_starts_at).day
    if args.clear:
        removed = [name for name in ("interview_date", "interview_topics", "interview_new_per_day")
                   if remove_setting(path, name)]
        _say("Interview date cleared: your own limits apply." if removed else "No interview date was set.")
        return 0
    if args.date is None:
        if settings.interview_date is None:
            _say(f"No interview date set. Set one with `quizapp plan YYYY-MM-DD`, like `quizapp plan "
                 f"{today + timedelta(days=30)}`.")
            return 0
        left = days_left(settings, today)
        if left is None:
            _say(f"Your interview on {settings.interview_date} has passed: your own limits apply again. "
                 "`quizapp plan --clear` forgets it.")
            return 0
        if left == 0:  # nothing left to plan: no pace, no forecast
            _say(f"Your interview is today, {settings.interview_date:%A %d %B %Y}: good luck. "
                 "Your own limits apply again tomorrow.")
            return 0
        interview, topics = settings.interview_date, list(args.topic or settings.interview_topics)
    else:
        try:
            interview = parse_date(args.date, today)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        topics = args.topic
    deck = context.load_deck()
    _warn_errors(deck)
    _check_topics(deck, topics)
    # Choosing a pace now (a date given, --accept or --keep) drops any pace accepted before: the plan shown is
    # compared with the user's own limit, not with a pace the choice is about to replace.
    choosing = args.date is not None or args.accept or args.keep
    planned = settings.model_copy(update={"interview_new_per_day": None}) if choosing else settings
    with context.open_store(readonly=True) as store:
        plan = make_plan(deck, store, planned, context.clock, interview, topics)
    _say("\n".join(plan_lines(plan)))
    if args.date is not None:
        if not _save_interview(args, settings, path, interview, tuple(topics), today):
            return 0
    accepted = settings.interview_new_per_day if args.date is None else None
    if choosing:
        accepted = _choose_pace(args, plan, path)
    if accepted is not None and final_day(plan.days_left):  # an accepted pace brings no new card on these days
        _say(f"\nUntil {interview}: no new cards (the last {FINAL_DAYS} days before it review only); then your own "
             f"{settings.new_per_day}.")
    elif accepted is not None and accepted != plan.pace and plan.unseen:  # behind (or ahead of) the pace accepted
        _say(f"\nUntil {interview}: {accepted} new a day (the pace you accepted; the plan now needs {plan.pace}: "
             f"`quizapp plan {interview} --accept` takes it), none on the last {FINAL_DAYS} days; then your own "
             f"{settings.new_per_day}.")
    elif accepted is not None:
        _say(f"\nUntil {interview}: {accepted} new a day (the plan's pace), none on the last {FINAL_DAYS} days; "
             f"then your own {settings.new_per_day}.")
    elif not plan.pace and plan.unseen:  # only the final days are left: the plan's pace is none
        _say(f"\nUntil {interview}: your own {settings.new_per_day} new a day. "
             f"`quizapp plan {interview} --accept` brings none, for the final review days.")
    else:
        _say(f"\nUntil {interview}: your own {settings.new_per_day} new a day. "
             f"`quizapp plan {interview} --accept` uses the plan's pace ({plan.pace} a day) instead.")
    return 0


def _save_interview(args: argparse.Namespace, settings, path, interview, topics: tuple[str, ...], today) -> bool:
    """Save the interview's date and topics, and say so (`plan 2026-12-06` run to compare capped every due date
    at Dec 6 without a word). On a terminal, a date other than the one saved is saved only when the user says so
    (not asked with --accept or --keep, which choose a pace for this date); False: kept, nothing saved."""
    from quizapp.settings_file import remove_setting, save_setting

    saved = settings.interview_date
    if saved == interview and settings.interview_topics == topics:
        return True  # nothing changes
    was = saved if saved is not None and saved != interview else None
    if (was is not None and was >= today and not (args.accept or args.keep) and sys.stdin.isatty()
            and input(f"\nReplace your interview date, {was:%A %d %B %Y}, with this one? [y/N] ").strip().lower()
            not in {"y", "yes"}):
        _say(f"\nInterview date kept: {was:%A %d %B %Y}; nothing saved. `quizapp plan` shows its plan.")
        return False
    save_setting(path, "interview_date", interview)
    if topics:
        save_setting(path, "interview_topics", list(topics))
    else:
        remove_setting(path, "interview_topics")
    which = ", ".join(topics) if topics else "every topic"
    _say(f"\nInterview date saved: {interview:%A %d %B %Y}" + (f" (was {was:%A %d %B %Y})" if was else "")
         + f", for {which}; `quizapp plan --clear` forgets it.")
    return True


def _choose_pace(args: argparse.Namespace, plan, path) -> int | None:
    """Save the plan's pace when the user accepts it (--accept, or yes at the prompt on a terminal)."""
    from quizapp.settings_file import remove_setting, save_setting

    accept = args.accept
    if not (args.accept or args.keep) and sys.stdin.isatty() and plan.pace:
        answer = input(f"\nIntroduce {plan.pace} new a day until then (instead of your {plan.own_new_per_day})? [y/N] ")
        accept = answer.strip().lower() in {"y", "yes"}
    if accept:
        save_setting(path, "interview_new_per_day", plan.pace)
        return plan.pace
    remove_setting(path, "interview_new_per_day")
    return None


def _register_stats(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "stats", "review statistics: streak, retention, forecast, accuracy by topic")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.set_defaults(handler=_stats)


def _stats(args: argparse.Namespace) -> int:
    import json

    from quizapp.study.stats import compute_stats
    from quizapp.formatting import stats_text

    context, deck = _context_and_deck(args)
    with context.open_store(readonly=True) as store:
        stats = compute_stats(deck, store, context.settings, context.clock)
    _say(json.dumps(stats.to_dict(), indent=2) if args.json else stats_text(stats))
    return 0


def _register_export(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "export", "export the deck to Anki, or the review log to CSV")
    sub.set_defaults(handler=_export_usage)
    kinds = sub.add_subparsers(title="what to export", metavar="KIND")
    anki = kinds.add_parser("anki", help="an Anki package (.apkg): one deck per topic under 'quizapp'",
                            description="Write an Anki package; importing a newer one updates the notes in place.")
    _add_common(anki, suppress=True)
    anki.add_argument("out", metavar="OUT.apkg", help="the package to write")
    anki.add_argument("--topic", action="append", default=[], metavar="T", help="only this topic (repeatable)")
    anki.add_argument("--instances", type=int, default=5, metavar="K",
                      help="notes per generated card, each a seeded instance (default 5)")
    anki.add_argument("--force", action="store_true", help="replace OUT.apkg if it exists")
    anki.add_argument("--scheduling", action="store_true",
                      help="also your progress: each card's schedule, FSRS memory state, suspended or buried, and "
                      "its review history (as Anki's 'Include scheduling information'); generated cards stay new")
    _add_filter(anki)
    anki.set_defaults(handler=_export_anki)
    reviews = kinds.add_parser("reviews", help="the review log as CSV for the FSRS optimizer tools",
                               description="Write the review log: card_id, review_time, review_rating, "
                               "review_state, review_duration; one row per review.")
    _add_common(reviews, suppress=True)
    reviews.add_argument("out", metavar="OUT.csv", help="the CSV file to write")
    reviews.add_argument("--all-modes", action="store_true",
                         help="also quiz and cram answers (default: scheduled reviews only)")
    reviews.add_argument("--force", action="store_true",
                         help="replace OUT.csv if it exists (never the review database)")
    _add_filter(reviews)
    reviews.set_defaults(handler=_export_reviews)


def _export_usage(args: argparse.Namespace) -> int:
    raise UserError("say what to export: `quizapp export anki OUT.apkg` or `quizapp export reviews OUT.csv`")


def _export_anki(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.export.anki import export_anki
    from quizapp.safewrite import check_target

    if not 0 <= args.instances <= 100:
        raise UserError(f"--instances must be between 0 and 100, not {args.instances}")
    _check_query(args.filter)
    out = Path(args.out)
    protected = _database_files(args)
    check_target(out, force=args.force, protected=protected)  # before the deck is loaded and converted
    deck = _load(args)
    _warn_errors(deck)
    _check_topics(deck, args.topic)
    keys = schedule = None
    if args.filter is not None or args.scheduling:
        from quizapp.study.queue import note_of

        context = _context(args)
        with context.open_store(readonly=True) as store:
            if args.filter is not None:
                keys = {note_of(key) for key in _filtered_keys(args.filter, deck, store, context)}
            if args.scheduling:
                from quizapp.export.anki_schedule import read_schedule

                schedule = read_schedule(store, context.settings, context.clock)
    _say(export_anki(deck, out, topics=args.topic, instances=args.instances, force=args.force,
                     protected=protected, keys=keys, schedule=schedule).text())
    return 0


def _export_reviews(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.export.reviews_csv import ALL_MODES, SCHEDULED_MODES, write_reviews_csv
    from quizapp.safewrite import check_target

    _check_query(args.filter)
    out = Path(args.out)
    check_target(out, force=args.force, protected=_database_files(args))  # before the database is opened
    context = _context(args)
    deck = context.load_deck() if args.filter is not None else None
    with context.open_store(readonly=True) as store:
        keys = _filtered_keys(args.filter, deck, store, context) if deck is not None else None
        count = write_reviews_csv(store, out, ALL_MODES if args.all_modes else SCHEDULED_MODES, force=args.force,
                                  keys=keys)
    _say(f"wrote {counted(count, 'review')} to {out}")
    return 0


def _register_card(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "card", "suspend, bury, reset or flag cards, or show everything about one")
    sub.set_defaults(handler=_card_usage)
    actions = sub.add_subparsers(title="actions", metavar="ACTION")
    helps = {
        "suspend": "leave the cards out of study until unsuspended",
        "unsuspend": "bring suspended cards back",
        "bury": "leave the cards out until the next study day",
        "unbury": "bring buried cards back today (also those set aside as siblings of cards answered today)",
        "reset": "forget the cards' schedules: they are new again (their history is kept)",
        "flag": "flag the cards with a colour: red, orange, green, blue (or 1-4), or none to clear",
        "info": "where a card comes from, its schedule, marks and whole history",
    }
    for action, help_text in helps.items():
        one = actions.add_parser(action, help=help_text, description=help_text)
        _add_common(one, suppress=True)
        if action == "flag":
            one.add_argument("colour", metavar="COLOUR", type=_flag_colour,
                             help="red, orange, green, blue, 1-4, or none (0)")
        one.add_argument("keys", nargs="*", metavar="KEY",
                         help="topic/id (every item of the card) or topic/id#c2 (one cloze deletion)")
        one.add_argument("--filter", metavar="QUERY",
                         help="also every card this search finds (as in browse: `is:leech`, `failed:7`, ...)")
        if action == "info":
            one.add_argument("--json", action="store_true", help="print JSON")
        one.set_defaults(handler=_card_info if action == "info" else _card_action, action=action)


def _flag_colour(text: str) -> int:
    from quizapp.study.marking import FLAG_NAMES

    value = FLAG_NAMES.get(text.lower()) if not text.isdigit() else int(text)
    if value is None or not 0 <= value <= 4:
        raise argparse.ArgumentTypeError(f"not a flag colour: {text!r}; use red, orange, green, blue, 1-4 or none")
    return value


def _card_usage(args: argparse.Namespace) -> int:
    raise UserError("say what to do: `quizapp card suspend|unsuspend|bury|unbury|reset|flag|info KEY...` "
                    "(see `quizapp card --help`)")


def _card_items(deck, keys: list[str]) -> list:
    from quizapp.study.card_info import items_named

    items, problems = [], []
    for key in keys:
        try:
            items += items_named(deck, key)
        except KeyError as exc:
            problems.append(str(exc.args[0]))
    if problems:
        raise UserError("\n".join(problems))
    return list({item.key: item for item in items}.values())  # each once, in the order given


def _card_action(args: argparse.Namespace) -> int:
    from quizapp.study.clock import StudyDay, to_ms
    from quizapp.study.marking import mark
    from quizapp.study.queue import buried_siblings

    _check_query(args.filter)
    context, deck = _context_and_deck(args)
    items = _card_items(deck, args.keys)
    now = context.clock.now()
    day = StudyDay.containing(now, context.clock.tz, context.settings.day_starts_at)
    with context.open_store() as store:
        keys = _card_keys(items, args.filter, deck, store, context)
        # unbury also brings back the siblings of cards answered today, which today's queue sets aside
        set_aside = buried_siblings(deck, store, context.settings, now, day) if args.action == "unbury" else ()
        written = mark(store, keys, args.action, day, to_ms(now), flag=getattr(args, "colour", None),
                       set_aside=set_aside)
    _say(_card_action_text(args.action, keys, {row.key for row in written}, getattr(args, "colour", None)))
    return 0


def _card_keys(items: list, query: str | None, deck, store, context) -> list[str]:
    """The keys named, then those the search finds, each once; naming none at all is an error."""
    keys = [item.key for item in items] + (_filtered_keys(query, deck, store, context) or [])
    if not keys:
        raise UserError("name the cards: KEY... (topic/id or topic/id#c2), or --filter QUERY")
    return list(dict.fromkeys(keys))


def _card_action_text(action: str, keys: list[str], changed: set[str], colour: int | None) -> str:
    from quizapp.study.store import FLAG_COLOURS

    done = {"flag": f"flagged {FLAG_COLOURS[colour]}" if colour else "unflagged", "reset": "reset to new",
            "bury": "buried until the next study day", "unbury": "unburied"}.get(action, action + "ed")
    lines = [f"{done}: {key}" for key in keys if key in changed]
    unchanged = [key for key in keys if key not in changed]
    if unchanged:
        why = "had no schedule to forget" if action == "reset" else "were already so"
        lines.append(f"unchanged ({why}): {', '.join(unchanged)}")
    return "\n".join(lines)


def _card_info(args: argparse.Namespace) -> int:
    import json

    from quizapp.formatting import card_info_dict, card_info_text
    from quizapp.study.card_info import card_info
    from quizapp.study.clock import StudyDay
    from quizapp.study.scheduling import Scheduling

    _check_query(args.filter)
    context, deck = _context_and_deck(args)
    items = _card_items(deck, args.keys)
    scheduling = Scheduling(context.settings)
    now = context.clock.now()
    with context.open_store(readonly=True) as store:
        keys = _card_keys(items, args.filter, deck, store, context)
        day = StudyDay.containing(now, context.clock.tz, context.settings.day_starts_at)
        infos = [card_info(deck, store, scheduling, deck.item(key), now, settings=context.settings, day=day)
                 for key in keys]
    if args.json:
        print(json.dumps([card_info_dict(info) for info in infos], indent=2))
    else:
        _say("\n\n".join(card_info_text(info, now, context.clock.tz) for info in infos))
    return 0


def _register_optimize(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "optimize", "fit FSRS parameters to your own reviews (needs quizapp[optimizer])")
    sub.add_argument("--save", action="store_true", help="save the fitted parameters in your config.toml")
    sub.set_defaults(handler=_optimize)


def _optimize(args: argparse.Namespace) -> int:
    from quizapp.study.optimize import run_optimize
    from quizapp.paths import config_file

    context = _context(args)
    with context.open_store(readonly=not args.save) as store:  # --save recomputes every card's memory state
        _say(run_optimize(store, context.settings, config_file(), save=args.save))
    return 0


def _register_import(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "import", "turn notes from another tool into a content file")
    sub.set_defaults(handler=_import_usage)
    kinds = sub.add_subparsers(title="what to import", metavar="KIND")
    text = kinds.add_parser("anki-text", help="an Anki 'Notes in Plain Text' export (.txt)",
                            description="Write <topic>.yaml from an Anki 'Notes in Plain Text' export; "
                            "an existing file is replaced only with --force.")
    _add_common(text, suppress=True)
    text.add_argument("file", metavar="FILE.txt", help="the Anki export")
    text.add_argument("--topic", required=True, metavar="T", help="topic id for the new file, like 'my-anki-cards'")
    text.add_argument("--title", help="the topic's title (default: from the Anki deck name)")
    text.add_argument("--out", metavar="DIR", help="folder to write to (default: your content folder)")
    text.add_argument("--force", action="store_true", help="replace <topic>.yaml in that folder if it exists")
    text.set_defaults(handler=_import_anki_text)


def _import_usage(args: argparse.Namespace) -> int:
    raise UserError("say what to import: `quizapp import anki-text FILE.txt --topic T`")


def _import_anki_text(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.importing.anki_text import import_anki_text

    deck = _load(args)
    folder = Path(args.out) if args.out else _locations(args).user
    if deck.has_topic(args.topic):
        where = deck.topic(args.topic).path
        if not (args.force and where.resolve() == (folder / f"{args.topic}.yaml").resolve()):
            raise UserError(f"topic '{args.topic}' already exists in {where}; choose another --topic")
    result = import_anki_text(Path(args.file), args.topic, folder, args.title, force=args.force)
    for warning in result.warnings:
        _say(f"quizapp: {warning}", error=True)
    _say(result.text())
    return 0


def _register_sync(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "sync", "study on several machines: exchange reviews through a folder you sync")
    sub.add_argument("folder", nargs="?", metavar="DIR",
                     help="the synced folder (Syncthing, Dropbox, a git clone); saved in your settings")
    sub.add_argument("--status", action="store_true", help="list the devices seen and what was exchanged")
    sub.set_defaults(handler=_sync)


def _sync(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.settings_file import save_setting
    from quizapp.study.sync import sync, sync_status

    context = _context(args)
    folder = context.settings.sync_path
    if args.folder:
        folder = Path(args.folder).expanduser().resolve()
        if not folder.is_dir():
            raise UserError(f"{shown_path(folder)} is not a folder; create it (or point at the folder your sync "
                            "tool shares)")
        if context.config_path is not None and folder != context.settings.sync_path:
            save_setting(context.config_path, "sync_dir", str(folder))
            _say(f"sync folder saved in {shown_path(context.config_path)}: {shown_path(folder)}")
    if folder is None:
        raise UserError("no sync folder is set: run `quizapp sync DIR` with a folder you already sync between "
                        "machines (or set $QUIZAPP_SYNC_DIR)")
    with context.open_store() as store:
        if args.status:
            _say(_status_text(sync_status(store, context.data_dir, folder)))
            return 0
        report = sync(store, context.data_dir, folder, context.settings)
    for line in (*report.warnings, *report.problems):
        _say(f"quizapp: {line}", error=True)
    _say(report.summary())
    return 1 if report.warnings else 0


def _status_text(status) -> str:
    from quizapp.study.clock import from_ms

    def when(ms) -> str:
        return from_ms(ms).strftime("%Y-%m-%d %H:%M UTC") if ms is not None else "never"

    lines = [f"this device: {status.device}, writes {status.folder / (status.device + '.jsonl')}",
             (f"  exported {counted(status.exported, 'entry', 'entries')}, the newest from {when(status.last_export_ms)}"
              if status.exported else "  exported nothing yet")]
    if not status.devices:
        lines.append("no other device seen yet")
    for device in status.devices:
        lines.append(f"device {device.device}: newest entry {when(device.last_entry_ms)}; imported "
                     f"{device.imported}, skipped {counted(device.skipped, 'unreadable line')}; read {when(device.read_ms)}")
        lines.append(f"  files: {', '.join(device.files)}")
    last = status.last_sync
    if last:
        lines.append(f"last sync {when(last.get('at_ms'))}: exported {last.get('exported', 0)}, imported "
                     f"{last.get('imported', 0)}, undid {last.get('undone', 0)}, "
                     f"{counted(last.get('problems', 0), 'unreadable line')}")
        lines += [f"  warning: {warning}" for warning in last.get("warnings", [])]
    return "\n".join(lines)


_COMMANDS = [
    _register_validate,
    _register_schema,
    _register_new,
    _register_topics,
    _register_glossary,
    _register_review,
    _register_quiz,
    _register_interview,
    _register_plan,
    _register_stats,
    _register_generate,
    _register_check,
    _register_drill,
    _register_export,
    _register_import,
    _register_optimize,
    _register_card,
    _register_sync,
]


# --- shared helpers -------------------------------------------------------------------------------


def _locations(args: argparse.Namespace):
    from quizapp.paths import ContentLocations, resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    return ContentLocations.resolve(data_dir, args.content, include_builtin=not args.no_builtin)


def _database_files(args: argparse.Namespace):
    """The review database's files, which no command writes over."""
    from quizapp.paths import resolve_data_dir
    from quizapp.safewrite import database_files
    from quizapp.study.store import DB_NAME

    return database_files(resolve_data_dir(args.data_dir) / DB_NAME)


def _seed(text: str) -> int:
    """A seed: a whole number from 0 (numpy's generators take no negative seed)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be from 0 to 2**63 - 1, not {value}")
    return value


def _context(args: argparse.Namespace):
    from quizapp.context import AppContext

    return AppContext.create(
        data_dir=args.data_dir,
        content=args.content,
        include_builtin=not args.no_builtin,
        seed=getattr(args, "seed", None),
    )


def _context_and_deck(args: argparse.Namespace):
    context = _context(args)
    deck = context.load_deck()
    _warn_errors(deck)
    return context, deck


@contextmanager
def _auto_sync(context, store) -> Iterator[None]:
    """Sync before and after a plain session when a sync folder is set; a problem is a line on stderr."""
    from quizapp.study.sync import sync_if_set_up

    before = sync_if_set_up(store, context.data_dir, context.settings)
    for line in before.notices() if before else ():
        _say(f"quizapp: {line}", error=True)
    try:
        yield
    finally:
        after = sync_if_set_up(store, context.data_dir, context.settings)
        for line in after.notices() if after else ():
            _say(f"quizapp: {line}", error=True)


def _check_topics(deck, topics: list[str]) -> None:
    from quizapp.deck.messages import did_you_mean

    for topic in topics:
        if not deck.has_topic(topic):
            known = ", ".join(t.slug for t in deck.topics)
            raise UserError(f"no topic '{visible(topic)}'{did_you_mean(topic, [t.slug for t in deck.topics])}; "
                            f"topics: {known}")


def _check_query(query: str | None) -> None:
    """A search that cannot be read is reported before anything is loaded or opened."""
    if query is not None:
        from quizapp.study.query import parse

        parse(query)


def _filtered_keys(query: str | None, deck, store, context) -> list[str] | None:
    """The keys a --filter search finds (None without one); finding none is an error, not an empty session."""
    if query is None:
        return None
    from quizapp.study.query import no_match, select_now

    keys = [item.key for item in select_now(query, deck, store, context.settings, context.clock)]
    if not keys:
        raise UserError(no_match(query, deck))
    return keys


def _check_not_all_shelved(query: str | None, session) -> None:
    """A review of a search whose cards are all suspended or buried would say only "Nothing more is due"."""
    if session.only is None or session.shelved_found() < len(session.only):
        return
    found = "its only card, which is" if len(session.only) == 1 else f"{len(session.only)} cards, all"
    raise UserError(f"the search {query!r} finds {found} suspended or buried, and a review leaves those out; "
                    f"`quizapp card unsuspend --filter {shlex.quote(query or '')}` (or unbury) brings them back")


def _load(args: argparse.Namespace):
    from quizapp.deck import load_deck

    return load_deck(_locations(args).paths())


def _warn_errors(deck) -> None:
    if deck.errors:
        _say(f"quizapp: {counted(len(deck.errors), 'content problem')} skipped; run `quizapp validate` to see them",
             error=True)


def _run_tui(args: argparse.Namespace, start: str = "home") -> int:
    from quizapp.tui.launch import run_app

    return run_app(_context(args), start=start, topics=getattr(args, "topic", None) or [],
                   query=getattr(args, "filter", None))
