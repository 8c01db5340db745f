"""Command-line entry point: parses arguments, builds the domain objects and hands them on.

Heavy modules (textual, numpy, pydantic) are imported inside the commands that need them, so
`quizapp --version` and `quizapp --help` stay instant.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import typing
from collections.abc import Sequence
from pathlib import Path

from quizapp import __version__
from quizapp.errors import UserError
from quizapp.safetext import visible

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
    _say(f"wrote {path}\nedit it, then run: quizapp validate {path}")
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
    return sub


def _register_review(commands: argparse._SubParsersAction) -> None:
    sub = _study_command(commands, "review", "review what is due today (spaced repetition)")
    sub.add_argument("--ahead", action="store_true", help="review ahead (cram): schedules stay as they are")
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
    with context.open_store() as store:
        session = ReviewSession(deck, store, context.settings, context.clock, topics=args.topic,
                                seed=args.seed, cram=args.ahead)
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
    if not args.plain:
        return _run_tui(args, start="quiz")
    from quizapp.plain import run_plain_quiz
    from quizapp.study.quiz import DEFAULT_QUIZ_TYPES, QuizSession

    context, deck = _context_and_deck(args)
    _check_topics(deck, args.topic)
    with context.open_store() as store:
        try:
            session = QuizSession(deck, store, context.clock, topics=args.topic,
                                  types=args.types or DEFAULT_QUIZ_TYPES, count=args.count, seed=args.seed)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if session.finished:
            raise UserError("no cards match that quiz: try other topics or --type values")
        return run_plain_quiz(session)


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
    reviews.set_defaults(handler=_export_reviews)


def _export_usage(args: argparse.Namespace) -> int:
    raise UserError("say what to export: `quizapp export anki OUT.apkg` or `quizapp export reviews OUT.csv`")


def _export_anki(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.export.anki import export_anki
    from quizapp.safewrite import check_target

    if not 0 <= args.instances <= 100:
        raise UserError(f"--instances must be between 0 and 100, not {args.instances}")
    out = Path(args.out)
    protected = _database_files(args)
    check_target(out, force=args.force, protected=protected)  # before the deck is loaded and converted
    deck = _load(args)
    _warn_errors(deck)
    _check_topics(deck, args.topic)
    _say(export_anki(deck, out, topics=args.topic, instances=args.instances, force=args.force,
                     protected=protected).text())
    return 0


def _export_reviews(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quizapp.export.reviews_csv import ALL_MODES, SCHEDULED_MODES, write_reviews_csv
    from quizapp.safewrite import check_target

    out = Path(args.out)
    check_target(out, force=args.force, protected=_database_files(args))  # before the database is opened
    with _context(args).open_store(readonly=True) as store:
        count = write_reviews_csv(store, out, ALL_MODES if args.all_modes else SCHEDULED_MODES, force=args.force)
    _say(f"wrote {count} review{'s' * (count != 1)} to {out}")
    return 0


def _register_optimize(commands: argparse._SubParsersAction) -> None:
    sub = _command(commands, "optimize", "fit FSRS parameters to your own reviews (needs quizapp[optimizer])")
    sub.add_argument("--save", action="store_true", help="save the fitted parameters in your config.toml")
    sub.set_defaults(handler=_optimize)


def _optimize(args: argparse.Namespace) -> int:
    from quizapp.study.optimize import run_optimize
    from quizapp.paths import config_file

    context = _context(args)
    with context.open_store(readonly=True) as store:
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


_COMMANDS = [
    _register_validate,
    _register_schema,
    _register_new,
    _register_topics,
    _register_review,
    _register_quiz,
    _register_stats,
    _register_generate,
    _register_check,
    _register_drill,
    _register_export,
    _register_import,
    _register_optimize,
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


def _check_topics(deck, topics: list[str]) -> None:
    from quizapp.deck.messages import did_you_mean

    for topic in topics:
        if not deck.has_topic(topic):
            known = ", ".join(t.slug for t in deck.topics)
            raise UserError(f"no topic '{visible(topic)}'{did_you_mean(topic, [t.slug for t in deck.topics])}; "
                            f"topics: {known}")


def _load(args: argparse.Namespace):
    from quizapp.deck import load_deck

    return load_deck(_locations(args).paths())


def _warn_errors(deck) -> None:
    if deck.errors:
        _say(f"quizapp: {len(deck.errors)} content problem(s) skipped; run `quizapp validate` to see them",
             error=True)


def _run_tui(args: argparse.Namespace, start: str = "home") -> int:
    from quizapp.tui.launch import run_app

    return run_app(_context(args), start=start, topics=getattr(args, "topic", None) or [])
