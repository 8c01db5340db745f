"""Template cards: generate + check per built-in template, and validating a file of 100 templates.

Targets from the issue: at least 2,000 generate+check per second for each built-in template, and a file
of 100 templates validated (parsing, compiling and sampling every difficulty) in under 2 seconds. Both are
single-threaded work without I/O, timed in CPU seconds (`time.process_time`), which the shared machine's other
jobs disturb far less than wall-clock time.
"""

from __future__ import annotations

import time

import yaml

from benchmarks.harness import Config, Result, median, per_second
from benchmarks.solving import _answer_text

__all__ = ["run"]

GENERATED_PER_SECOND = 2000.0
VALIDATE_SECONDS = 2.0
FILE_TEMPLATES = 100


def run(config: Config) -> list[Result]:
    return [*_generate_and_check(config), _validate_file(config)]


def _builtin_templates():
    from quizapp.deck import load_deck
    from quizapp.deck.schema import TemplateCard
    from quizapp.paths import builtin_content_dir

    deck = load_deck([builtin_content_dir()])
    return [(card.key, card.card) for card in deck.cards() if isinstance(card.card, TemplateCard)]


def _generate_and_check(config: Config) -> list[Result]:
    from quizapp.deck.templates import compile_template

    count = config.size(3000, 30)
    results = []
    for key, card in _builtin_templates():
        template = compile_template(card, key)

        def batch(template=template, key=key) -> None:
            for seed in range(count):
                problem = template.generate(seed, seed % 3 + 1)
                if not problem.check(_answer_text(problem.answer)).is_correct:
                    raise RuntimeError(f"{key} seed {seed}: its own answer does not check as correct")

        rate = per_second(batch, count, config.repeats, clock=time.process_time)
        results.append(Result(f"templates.generate.{key.partition('/')[2]}", rate, "/s", rate / GENERATED_PER_SECOND,
                              ">=", 1.0, f"{GENERATED_PER_SECOND:,.0f} generate+check per CPU second; difficulties 1-3",
                              details={"card": key, "per_call_ms": round(1000 / rate, 3), "calls": count}))
    return results


def _validate_file(config: Config) -> Result:
    """A file of 100 template cards, copies of the built-in ones under new ids, loaded as validation does."""
    from quizapp.deck.loader import load_file
    from quizapp.deck.templates import VALIDATION_SEEDS

    raw = []
    for path in sorted(_content_dir().glob("*.yaml")):
        raw += [card for card in yaml.safe_load(path.read_text())["cards"] if card.get("type") == "template"]
    cards = [{**raw[i % len(raw)], "id": f"copy-{i}"} for i in range(FILE_TEMPLATES)]
    path = config.workdir / "templates.yaml"
    path.write_text(yaml.safe_dump({"topic": "bench-templates", "title": "Templates", "cards": cards},
                                   allow_unicode=True, sort_keys=False))
    seconds = []
    for _ in range(max(1, config.repeats // 2) if not config.quick else 1):
        start = time.process_time()
        topic, errors = load_file(path)
        seconds.append(time.process_time() - start)
        if errors or topic is None or len(topic.cards) != FILE_TEMPLATES:
            raise RuntimeError(f"the benchmark file does not validate: {errors[:3]}")
    figure = median(seconds)
    return Result("templates.validate_100", figure * 1000, "ms", figure / VALIDATE_SECONDS, "<=", 1.0,
                  f"validate {FILE_TEMPLATES} templates ({VALIDATION_SEEDS} seeds x 3 difficulties each) "
                  f"in {VALIDATE_SECONDS:g} CPU s", details={"seconds": [round(s, 3) for s in seconds]})


def _content_dir():
    from quizapp.paths import builtin_content_dir

    return builtin_content_dir()
