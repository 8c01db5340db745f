"""Content fuzzing: broken and hostile content files never crash the loader, and every problem says where.

Mutations of the built-in deck's own files (deleted lines, swapped indentation, wrong types, random bytes,
truncation, duplicated blocks, and mixes of these), hostile YAML (alias bombs, deep nesting, very long
lines, object tags), and arbitrary text and bytes from hypothesis all go through `quizapp.deck.load_file`,
which must return `(topic, errors)` every time, within a time bound, with each error naming the file and,
when the problem has a place in the file, a line inside it. Everything is seeded, so a failure reproduces.
"""

from __future__ import annotations

import json
import queue
import random
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.deck import ContentError, Topic, load_deck, load_file
from quizapp.deck.loader import solver_names
from tests.reliability.summary import report
from tests.conftest import REPO

CONTENT_FILES = sorted((REPO / "content").glob("*.yaml"))
SEED = 8
MUTANTS_PER_FILE = 150
CASE_SECONDS = 3.0  # per file; a real content file loads in tens of milliseconds
HOSTILE_SECONDS = 8.0  # the slowest hostile case, a 1.8 MB flow list, takes ~2-4 s here
HOSTILE_PEAK_MB = 300  # the whole loading process, interpreter and libraries included
# Problems that concern the whole file and have no place in it; every other problem must give a line.
POSITIONLESS = ("file is empty", "file is too large", "cannot read file")
SOLVERS = solver_names()






# --- checking one load ---------------------------------------------------------------------------------------


@dataclass
class Campaign:
    name: str
    cases: int = 0
    with_errors: int = 0
    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0

    def summary(self) -> str:
        return (f"content fuzz [{self.name}]: {self.cases} cases, {self.with_errors} rejected with errors, "
                f"{len(self.failures)} failures, slowest {self.slowest * 1000:.0f} ms")


def problems_with(path: Path, data: bytes, outcome: object) -> list[str]:
    """What is wrong with load_file's answer for `data` at `path` (empty when all is well)."""
    if not (isinstance(outcome, tuple) and len(outcome) == 2):
        return [f"returned {type(outcome).__name__}, not (topic, errors)"]
    topic, errors = outcome
    problems = []
    if not isinstance(errors, list) or not all(isinstance(e, ContentError) for e in errors):
        return [f"errors is not a list of ContentError: {errors!r:.200}"]
    if topic is not None and not isinstance(topic, Topic):
        problems.append(f"topic is a {type(topic).__name__}")
    # Line breaks as YAML counts them (\r, \r\n, NEL, LS, PS too); libyaml may place an end-of-stream problem on
    # the line after a last line that has no line break, hence the + 1.
    lines = max(data.count(b"\n"), len(data.decode("utf-8", "replace").splitlines())) + 1
    for error in errors:
        text = str(error)
        if error.path != path or not text.startswith(str(path)):
            problems.append(f"error does not name the file: {text!r:.200}")
        if not error.message:
            problems.append(f"error without a message at {error.location}")
        if error.line is None:
            if error.where or not error.message.startswith(POSITIONLESS):
                problems.append(f"no line for a problem that has a place: {text!r:.300}")
        elif not 1 <= error.line <= lines:
            problems.append(f"line {error.line} outside the file's {lines} lines: {text!r:.200}")
        if error.column is not None and error.column < 1:
            problems.append(f"column {error.column}: {text!r:.200}")
    if topic is not None:
        problems += [f"card {c.key} at line {c.line} of {lines}" for c in topic.cards if not 1 <= c.line <= lines]
    return problems


def run_case(campaign: Campaign, path: Path, data: bytes, label: str,
             seconds: float = CASE_SECONDS) -> list[ContentError]:
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        outcome = load_file(path, solvers=SOLVERS)
    except Exception as exc:  # the point of the test: record it and keep going
        outcome = None
        problems = [f"raised {type(exc).__name__}: {str(exc)[:200]}"]
    else:
        problems = problems_with(path, data, outcome)
    elapsed = time.perf_counter() - start
    campaign.cases += 1
    campaign.slowest = max(campaign.slowest, elapsed)
    if elapsed > seconds:
        problems.append(f"took {elapsed:.2f} s (limit {seconds} s)")
    if outcome and outcome[1]:
        campaign.with_errors += 1
    if problems:
        keep = path.with_name(f"failure-{len(campaign.failures)}-{path.name}")
        keep.write_bytes(data)
        campaign.failures.append(f"{label}: {'; '.join(problems)} (input kept at {keep})")
    return outcome[1] if outcome else []


def assert_clean(request: pytest.FixtureRequest, campaign: Campaign) -> None:
    report(request.config, campaign.summary())
    assert not campaign.failures, f"{len(campaign.failures)} failing cases:\n" + "\n".join(campaign.failures[:15])


# --- mutations of the real deck -----------------------------------------------------------------------------

Mutation = Callable[[random.Random, bytes], bytes]


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def swap_indentation(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        other = lines[rng.randrange(len(lines))]
        borrowed = other[: len(other) - len(other.lstrip())]  # another line's indentation
        indent = rng.choice([b"", b" ", b"  " * rng.randint(1, 6), b"\t", b" \t ", borrowed])
        lines[i] = indent + lines[i].lstrip(b" \t")
    return b"\n".join(lines)


WRONG_VALUES: list[object] = [
    42, -1.5, True, None, "", "x" * 300, [], [1, "a", None], {"k": "v"}, {"type": "flashcard"},
    float("inf"), float("nan"), 10**40, "{{c1::", "$\\frac{", "\x00", "2026-03-02",
]
WRONG_SCALARS = [b"[1, 2]", b"{a: 1}", b"~", b"true", b".nan", b"-.inf", b"0x1F", b"2026-03-02", b"!!binary aGk=",
                 b"'unterminated", b'"\\xZZ"', b"*undefined", b"&anchor", b"|", b">-", b"- item", b"? key",
                 b"!!python/object/apply:os.system ['true']", b"!custom tag", b"1e999", b"-0"]


def wrong_types(rng: random.Random, data: bytes) -> bytes:
    """Replace a value in the parsed file with one of another type, and write the file back."""
    try:
        document = yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:  # already broken by an earlier mutation: break it some more, as text
        return wrong_scalar_text(rng, data)
    containers: list[tuple[object, object]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                containers.append((node, key))
                walk(value)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                containers.append((node, index))
                walk(value)

    walk(document)
    if not containers:
        return wrong_scalar_text(rng, data)
    for _ in range(rng.randint(1, 3)):
        parent, key = rng.choice(containers)
        parent[key] = rng.choice(WRONG_VALUES)  # type: ignore[index]
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100).encode()


def wrong_scalar_text(rng: random.Random, data: bytes) -> bytes:
    """Replace what follows `key:` on some lines with a value of another type, as text."""
    lines = data.split(b"\n")
    keyed = [i for i, line in enumerate(lines) if b": " in line] or [0]
    for _ in range(rng.randint(1, 3)):
        i = rng.choice(keyed)
        head = lines[i].split(b": ", 1)[0]
        lines[i] = head + b": " + rng.choice(WRONG_SCALARS)
    return b"\n".join(lines)


def random_bytes(rng: random.Random, data: bytes) -> bytes:
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        at = rng.randrange(len(buffer) + 1)
        if rng.random() < 0.5:
            buffer[at:at + len(noise)] = noise
        else:
            buffer[at:at] = noise
    return bytes(buffer)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data))]


def duplicate_block(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    start = rng.randrange(len(lines))
    block = lines[start:start + rng.randint(1, 12)]
    at = rng.randrange(len(lines))
    return b"\n".join(lines[:at] + block + lines[at:])


MUTATIONS: dict[str, Mutation] = {
    "delete-lines": delete_lines,
    "swap-indentation": swap_indentation,
    "wrong-types": wrong_types,
    "wrong-scalar-text": wrong_scalar_text,
    "random-bytes": random_bytes,
    "truncate": truncate,
    "duplicate-block": duplicate_block,
}


def mutate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    names = [rng.choice(list(MUTATIONS))]
    if rng.random() < 0.3:
        names.append(rng.choice(list(MUTATIONS)))
    for name in names:
        data = MUTATIONS[name](rng, data)
    return data, "+".join(names)


def test_real_content_files_are_the_seed_corpus() -> None:
    assert len(CONTENT_FILES) >= 5, "the fuzz corpus is the built-in deck; where did it go?"
    for path in CONTENT_FILES:
        topic, errors = load_file(path, solvers=SOLVERS)
        assert topic is not None and not errors, [str(e) for e in errors]


@pytest.mark.slow
def test_mutated_real_files_load_without_raising(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    campaign = Campaign("mutated real files")
    for original in CONTENT_FILES:
        data = original.read_bytes()
        for number in range(MUTANTS_PER_FILE):
            mutant, names = mutate(rng, data)
            run_case(campaign, tmp_path / original.name, mutant, f"{original.name} #{number} ({names})")
    assert_clean(request, campaign)


def test_a_folder_of_mutants_loads_as_one_deck(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """load_deck over many broken files at once: duplicate topics across files, partial topics, and so on."""
    rng = random.Random(SEED + 1)
    campaign = Campaign("folders of mutants")
    for round_number in range(5):
        folder = tmp_path / f"round-{round_number}"
        folder.mkdir()
        for original in CONTENT_FILES:
            for copy in range(2):  # two mutants of the same topic: duplicate topic ids across files
                (folder / f"{copy}-{original.name}").write_bytes(mutate(rng, original.read_bytes())[0])
        start = time.perf_counter()
        try:
            deck = load_deck([folder], solvers=SOLVERS)
        except Exception as exc:
            campaign.failures.append(f"round {round_number}: raised {type(exc).__name__}: {exc}")
        else:
            campaign.with_errors += bool(deck.errors)
            for error in deck.errors:
                if error.path.parent != folder:
                    campaign.failures.append(f"round {round_number}: error names no file of the deck: {error}")
        campaign.slowest = max(campaign.slowest, time.perf_counter() - start)
        campaign.cases += 1
    assert_clean(request, campaign)


# --- hostile YAML ----------------------------------------------------------------------------------------


def _card(body: str) -> bytes:
    header = "topic: hostile\ntitle: Hostile\ncards:\n"
    return f"{header}  - id: c\n    type: flashcard\n    front: f\n    back: {body}\n".encode()


def _billion_laughs(levels: int = 10, width: int = 10) -> bytes:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{', '.join(f'*a{level - 1}' for _ in range(width))}]")
    lines.append(f"topic: *a{levels - 1}")
    return "\n".join(lines).encode()


def _merge_bomb(levels: int = 20) -> bytes:
    lines = ["b0: &b0 {x0: 1, y0: 2}"]
    for level in range(1, levels):
        lines.append(f"b{level}: &b{level} {{<<: [*b{level - 1}, *b{level - 1}], x{level}: 1}}")
    lines.append(f"topic: {{<<: *b{levels - 1}}}")
    return "\n".join(lines).encode()


def _sentinel_tags(sentinel: Path) -> bytes:
    return (
        f"topic: !!python/object/apply:os.system ['touch {sentinel}']\n"
        f"title: !!python/object/apply:subprocess.check_call [['touch', '{sentinel}']]\n"
        f"summary: !!python/name:os.system\n"
        f"cards: !!python/object/new:builtins.exec ['open(\"{sentinel}\", \"w\")']\n"
    ).encode()


# Hostile in size or form, but valid content: these must load, quickly, and need not report anything.
VALID_HOSTILE = {"many cards", "cloze with many deletions", "utf-8 BOM", "CR only line ends"}


def hostile_cases(sentinel: Path) -> dict[str, bytes]:
    long_text = "x" * 1_900_000
    return {
        "billion laughs": _billion_laughs(),
        "billion laughs as a card list": _billion_laughs().replace(b"topic: *a9", b"topic: t\ntitle: T\ncards: *a9"),
        "merge-key bomb": _merge_bomb(),
        "self-referencing alias": b"topic: t\ntitle: T\ncards: &c [*c, *c]\n",
        "flow nesting 1,000 deep": b"cards: " + b"[" * 1_000 + b"]" * 1_000 + b"\n",
        "flow nesting 50,000 deep (100 KB)": b"cards: " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
        "flow mapping nesting 20,000 deep": b"cards: " + b"{a: " * 20_000 + b"1" + b"}" * 20_000 + b"\n",
        "unclosed flow nesting 30,000 deep (60 KB)": b"topic: " + b"[{" * 30_000 + b"\n",
        "block nesting 1,500 deep": b"".join(b" " * i + b"k:\n" for i in range(1_500)) + b" " * 1_500 + b"v\n",
        "block sequences 1,500 deep": b"cards:\n" + b"".join(b" " * i + b"- \n" for i in range(1_500)),
        "very long line": _card(long_text),
        "very long key": f"topic: t\ntitle: T\n{'k' * 1_000_000}: 1\ncards: []\n".encode(),
        "very long flow list": b"topic: t\ntitle: T\ncards: [" + b"1, " * 600_000 + b"1]\n",
        "just over the size limit": _card("y" * (2 * 1024 * 1024 + 10)),
        "many documents": b"---\ntopic: t\n" * 50_000,
        "many cards": b"topic: t\ntitle: T\ncards:\n" + b"".join(
            f"  - {{id: c{i}, type: flashcard, front: f, back: b}}\n".encode() for i in range(20_000)),
        "many duplicate ids": b"topic: t\ntitle: T\ncards:\n"
        + b"  - {id: same, type: flashcard, front: f, back: b}\n" * 20_000,
        "cloze with unclosed openings": _card("x").replace(b"type: flashcard\n    front: f\n    back: x",
                                                           b"type: cloze\n    text: \"" + b"{{c1::" * 3_000 + b"\""),
        "cloze with many deletions": _card("x").replace(
            b"type: flashcard\n    front: f\n    back: x",
            b"type: cloze\n    text: \"" + b"".join(f"{{{{c{i}::a}}}} ".encode() for i in range(1, 1_500)) + b"\""),
        "object tags": _sentinel_tags(sentinel),
        "custom tag": b"topic: !secret t\ntitle: T\ncards: []\n",
        "binary, set and timestamp tags":
            b"topic: !!binary aGVsbG8=\ntitle: !!set {a, b}\ncards: [!!timestamp 2026-03-02]\n",
        "card type is a list": _card("b").replace(b"type: flashcard", b"type: [flashcard]"),
        "card type is a mapping": _card("b").replace(b"type: flashcard", b"type: {a: 1}"),
        "card id is a mapping": _card("b").replace(b"id: c", b"id: {a: 1}"),
        "topic is a list": b"topic: [a]\ntitle: T\ncards: [{id: c, type: flashcard, front: f, back: b}]\n",
        "complex keys": b"? [a, b]\n: 1\n? {c: d}\n: 2\ntopic: t\n",
        "numeric keys and nulls": b"1: a\n~: b\ntrue: c\n.inf: d\n",
        "huge numbers": _card("x").replace(b"type: flashcard\n    front: f\n    back: x",
                                           b"type: numeric\n    prompt: p\n    answer: 1" + b"0" * 5_000),
        "nan and inf answers": _card("x").replace(b"type: flashcard\n    front: f\n    back: x",
                                                  b"type: numeric\n    prompt: p\n    answer: [.nan, .inf, -.inf]"),
        "utf-16 with BOM": "topic: t\ntitle: T\ncards: []\n".encode("utf-16"),
        "utf-8 BOM": b"\xef\xbb\xbf" + _card("b"),
        "NUL bytes": _card("a\x00b"),
        "control characters": _card("\x07\x1b[31m\x7f"),
        "lone surrogates (CESU)": _card("x").replace(b"back: x", b"back: \xed\xa0\x80"),
        "CR only line ends": _card("b").replace(b"\n", b"\r"),
        "tabs as indentation": _card("b").replace(b"  ", b"\t"),
        "only comments": b"# nothing\n# here\n",
        "whitespace only": b"   \n\n\t\n",
        "empty": b"",
        "a bare list": b"- a\n- b\n",
        "a bare scalar": b"just words\n",
        "a null document": b"~\n",
        "unterminated quote": b'topic: "never closed\n',
        "tab in flow": b"topic: t\ntitle: T\ncards: [\t{id: a}\t]\n",
        "directive": b"%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\ntopic: !x t\n",
        "anchor on key": b"&k topic: t\n*k : again\n",
        "undefined alias": b"topic: *nowhere\n",
    }


@pytest.mark.slow
def test_hostile_yaml_is_rejected_quickly_with_bounded_memory(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Each case runs in a child process, so one that crashes the interpreter or hangs is reported, not fatal."""
    sentinel = tmp_path / "SENTINEL"
    folder = tmp_path / "hostile"
    folder.mkdir()
    names = {}
    for number, (name, data) in enumerate(hostile_cases(sentinel).items()):
        (folder / f"{number:03d}.yaml").write_bytes(data)
        names[f"{number:03d}.yaml"] = name
    campaign = Campaign("hostile YAML")
    peaks = [0]
    for outcome in run_isolated(sorted(names), folder):
        name = names[outcome["case"]]
        campaign.cases += 1
        campaign.slowest = max(campaign.slowest, outcome.get("seconds", 0.0))
        peaks.append(outcome.get("peak", 0))
        problems = outcome["problems"]
        if outcome.get("peak", 0) > HOSTILE_PEAK_MB * 2**20:
            problems.append(f"used {outcome['peak'] / 2**20:.0f} MB (limit {HOSTILE_PEAK_MB} MB)")
        if outcome.get("errors") == 0 and name not in VALID_HOSTILE:
            problems.append("accepted without any error")
        campaign.with_errors += bool(outcome.get("errors"))
        if problems:
            campaign.failures.append(f"{name}: {'; '.join(problems)}")
    if sentinel.exists():
        campaign.failures.append("object tags: a YAML tag ran code (the sentinel file was created)")
    report(request.config, campaign.summary() + f", peak memory {max(peaks) / 2**20:.0f} MB")
    assert not campaign.failures, f"{len(campaign.failures)} failing cases:\n" + "\n".join(campaign.failures)


def run_isolated(cases: list[str], folder: Path, kill_after: float = 2 * HOSTILE_SECONDS):
    """Yield one outcome per case, loading each in a child process; a crash or hang fails only its case."""
    pending = list(cases)
    while pending:
        child = subprocess.Popen([sys.executable, "-m", "tests.reliability.test_fuzz_content", str(folder), *pending],
                                 cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True).start()
        current = None
        while True:
            try:
                line = lines.get(timeout=kill_after)
            except queue.Empty:
                child.kill()
                line = ""
            if line:
                message = json.loads(line)
                current = message.get("start")
                if current is None:
                    pending.remove(message["case"])
                    yield message
                continue
            code = child.wait()
            tail = child.stderr.read()[-300:].strip().replace("\n", " | ")
            if current is None and pending:
                raise RuntimeError(f"the child stopped (exit {code}) before any case: {tail}")
            if current is not None:
                pending.remove(current)
                hung = line == ""
                why = f"still running after {kill_after:.0f} s: killed" if hung else f"the process died (exit {code})"
                yield {"case": current, "problems": [why if hung else f"{why}: {tail}"]}
            break
        child.stdout.close()
        child.stderr.close()


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def _child(folder: Path, cases: list[str]) -> None:
    """In the child: load each case, check the answer, and report as JSON lines (see run_isolated)."""
    for case in cases:
        print(json.dumps({"start": case}), flush=True)
        path = folder / case
        data = path.read_bytes()
        with _peak_memory() as peak:
            start = time.perf_counter()
            try:
                outcome = load_file(path, solvers=SOLVERS)
            except Exception as exc:
                outcome, problems = None, [f"raised {type(exc).__name__}: {str(exc)[:200]}"]
            else:
                problems = problems_with(path, data, outcome)
            seconds = time.perf_counter() - start
        if seconds > HOSTILE_SECONDS:
            problems.append(f"took {seconds:.2f} s (limit {HOSTILE_SECONDS} s)")
        errors = len(outcome[1]) if outcome else None
        print(json.dumps({"case": case, "problems": problems, "seconds": seconds, "peak": peak[0], "errors": errors}),
              flush=True)


@contextmanager
def _peak_memory():
    """Peak resident memory of this process during the block, in bytes (in peak[0] afterwards).

    Linux: reset the high-water mark (clear_refs 5) and read VmHWM, at no cost to the timing. Elsewhere:
    tracemalloc, which sees only Python allocations and slows the block down.
    """
    peak = [0]
    status, clear = Path("/proc/self/status"), Path("/proc/self/clear_refs")
    try:
        clear.write_text("5")
    except OSError:
        tracemalloc.start()
        try:
            yield peak
        finally:
            peak[0] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        return
    yield peak
    line = next(line for line in status.read_text().splitlines() if line.startswith("VmHWM:"))
    peak[0] = int(line.split()[1]) * 1024


# --- arbitrary text and bytes -------------------------------------------------------------------------------

_YAMLISH = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@`?,.\n \t0123456789~") + ["\u00e9", "\u2028"]),
                   max_size=300)


def test_arbitrary_bytes_never_crash_the_loader(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    campaign = Campaign("hypothesis text and bytes")

    @settings(max_examples=400, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.one_of(st.binary(max_size=400), _YAMLISH.map(str.encode), st.text(max_size=300).map(str.encode)))
    def check(data: bytes) -> None:
        failures = len(campaign.failures)
        run_case(campaign, tmp_path / "arbitrary.yaml", data, f"input {data[:80]!r}")
        assert len(campaign.failures) == failures, campaign.failures[-1]

    try:
        check()
    finally:
        report(request.config, campaign.summary())
    assert not campaign.failures


if __name__ == "__main__":  # the child process of run_isolated
    _child(Path(sys.argv[1]), sys.argv[2:])
