"""Plain mode's text: Markdown rendered to clean text, checked on every built-in card and many generated ones."""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import solvers
from quizapp import plain
from quizapp.deck import load_deck
from quizapp.deck.plaintext import MAX_CHARS, markdown_to_text, starts_with_block, with_label
from quizapp.paths import builtin_content_dir
from quizapp.study.questions import Outcome, build_question

LEFTOVERS = {
    "escape backslash": re.compile(r"\\[_|\[\]*>#`<]"),
    "bold marker": re.compile(r"\*\*"),
    "LaTeX command": re.compile(r"\\[A-Za-z]+"),
    "unrendered math": re.compile(r"\$[^$\n]*\$"),
}


def leftovers(text: str) -> list[str]:
    return [f"{name}: {match.group()!r} in {text[max(0, match.start() - 30):match.end() + 30]!r}"
            for name, pattern in LEFTOVERS.items() for match in pattern.finditer(text)]


def plain_screens(question) -> str:
    """Everything plain mode prints for a question: the front, the back and the verdict with its solution."""
    out = io.StringIO()
    say = plain.PlainIO(stdout=out)
    plain._show_question(say, question)
    say.say("\n" + plain.md(with_label("Answer:", question.answer)))
    plain._explain(say, question)
    if question.auto_checked:
        say.say(plain._verdict_block(say, question, Outcome("incorrect", "Not quite.", question.answer)))
    return out.getvalue()


@pytest.fixture(scope="module")
def deck():
    return load_deck([builtin_content_dir()])


def test_every_built_in_card_prints_clean_text(deck) -> None:
    rng = random.Random(5)
    problems = []
    for item in deck.items():
        if item.card.type == "code":
            continue  # its answer is Python, where ** is the power operator; its prompt is checked below
        problems += [f"{item.key}: {p}" for p in leftovers(plain_screens(build_question(item, rng)))]
    for card in deck.cards():
        if card.type == "code":
            problems += [f"{card.key}: {p}" for p in leftovers(plain.md(card.card.prompt))]
    assert not problems, "\n".join(problems[:20])


def test_500_generated_instances_print_clean_text() -> None:
    names = sorted(solvers.registry())
    problems = []
    for index in range(500):
        name = names[index % len(names)]
        problem = solvers.get_solver(name).generate(1000 + index, 1 + index % 3)
        for text in (problem.prompt, problem.solution, with_label("Expected:", solvers.format_answer(problem.answer))):
            problems += [f"{name} seed {1000 + index}: {p}" for p in leftovers(plain.md(text))]
    assert not problems, "\n".join(problems[:20])


def test_the_issue_examples_come_out_clean() -> None:
    text = markdown_to_text(r"$\sigma_B^2$, $\mu_B$, $m > 1$, $\lambda \sum_i |w_i|$, $w = [-2.5, 1]$")
    assert text == "σ_B², μ_B, m > 1, λ ∑ᵢ |wᵢ|, w = [-2.5, 1]"
    assert markdown_to_text("**Answer:** *so* `eval()` ~~no~~") == "Answer: so eval() no"


def test_tables_are_aligned_on_their_columns() -> None:
    text = markdown_to_text("| metric | value |\n|---|--:|\n| $\\sigma^2$ | 1.5 |\n| recall | 10 |")
    assert text.splitlines() == [
        "metric  value",
        "------  -----",
        "σ²        1.5",
        "recall     10",
    ]


def test_lists_get_bullets_and_nested_items_indent() -> None:
    text = markdown_to_text("1. one\n2. two\n   - inner *a*\n   - inner b\n\n> quoted\n\n```\nx = 1\n```")
    assert text.splitlines() == ["1. one", "2. two", "   ◦ inner a", "   ◦ inner b", "", "│ quoted", "", "    x = 1"]


@pytest.mark.parametrize("back", ["| a | b |\n|---|---|\n| 1 | 2 |", "- one\n- two", "```\ncode\n```",
                                  "$$x^2$$", "> quoted", "# Heading"])
def test_a_back_that_starts_with_a_block_gets_its_label_in_a_block_of_its_own(back: str) -> None:
    assert starts_with_block(back)
    labelled = with_label("Answer:", back)
    assert labelled.startswith("**Answer:**\n\n")
    assert markdown_to_text(labelled).splitlines()[:2] == ["Answer:", ""]


def test_an_inline_back_stays_on_the_label_line() -> None:
    assert not starts_with_block("The mini-batch, per feature.")
    assert markdown_to_text(with_label("Answer:", "The *mini-batch*.")) == "Answer: The mini-batch."


def test_plain_review_prints_a_table_first_back_under_its_label(tmp_path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "tables.yaml").write_text(TABLE_DECK, encoding="utf-8")
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-m", "quizapp", "--no-builtin", "--content", str(content), "--data-dir", str(data),
         "review", "--plain"],
        input="\n3\n", capture_output=True, text=True, timeout=60,
        env={**os.environ, "QUIZAPP_ENABLE_FUZZING": "false", "HOME": str(data)},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Answer:\n\nrow  values\n---  ------\nTP        3\n" in out
    assert "**" not in out and "|" not in out


TABLE_DECK = """\
topic: tables
title: Tables
cards:
  - id: table-back
    type: flashcard
    front: The counts?
    back: |
      | row | values |
      |---|--:|
      | TP | 3 |
"""


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab $\\{}_^|*>-#`[]()\n1.") + ["\\frac", "$$", "**", "|---|", "\n- "]),
                max_size=120).map("".join))
def test_any_text_converts_without_raising(text: str) -> None:
    assert isinstance(markdown_to_text(text), str)
    assert isinstance(with_label("Answer:", text), str)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ9 .,:;?()/%+=-'\"\t") + ["é", "中"]), max_size=60))
@example("---")  # a rule, which the fast path took for text
@example(" - -- ")
def test_the_fast_path_for_plain_lines_agrees_with_the_parser(text: str) -> None:
    from quizapp.deck import plaintext

    if plaintext._PLAIN_LINE.fullmatch(text):
        assert markdown_to_text(text) == plaintext._render(text)


@pytest.mark.parametrize("text", ["> " * 500 + "deep", "- " * 2000 + "deep", "$" + "{" * 3000 + "x" + "}" * 3000 + "$",
                                  "[" * 5000 + "x", "x" * (MAX_CHARS + 1)])
def test_deep_or_huge_input_falls_back_to_the_raw_text(text: str) -> None:
    rendered = markdown_to_text(text)
    assert "deep" in rendered or "x" in rendered  # nothing is silently dropped
    if "deep" in text or len(text) > MAX_CHARS:
        assert rendered == text


def test_sources_line_labels_and_never_doubles_a_stop() -> None:
    from quizapp.deck.plaintext import sources_line

    assert sources_line(["Bishop (2006), ch. 4."]) == "Source: Bishop (2006), ch. 4."
    assert sources_line(["Kohavi et al. (2020), ch. 2 and 21.", "Johari et al. (2017), KDD"]) == (
        "Sources: Kohavi et al. (2020), ch. 2 and 21. Johari et al. (2017), KDD")
    assert sources_line(["A (2019)", "B (2020)", "C"], str.upper) == "Sources: A (2019); B (2020); C"


def test_plain_mode_reflows_card_text_to_the_terminal_width() -> None:
    """Content is written about 100 columns wide; at 80 columns the terminal cut every other line mid-word
    ('a pull o' / 'f fixed size'), after the author's own break. With a width, paragraphs are reflowed between
    words, list items inside their bullet, option text under its letter; a pipe keeps the author's lines."""
    from quizapp.deck.plaintext import markdown_to_text

    text = ("**Model answer:** Look at what each penalty does to a single weight near zero. The L1 term adds a "
            "pull of fixed size\nλ toward zero however small the weight already is.\n\n"
            "- a list item long enough to wrap at forty columns, surely\n  continued\n\n| a | b |\n|---|---|\n"
            "| a long table cell that is kept whole | 2 |\n")
    lines = markdown_to_text(text, 40).splitlines()
    assert lines[:4] == ["Model answer: Look at what each penalty", "does to a single weight near zero. The",
                         "L1 term adds a pull of fixed size λ", "toward zero however small the weight"]
    assert "• a list item long enough to wrap at" in lines and "  forty columns, surely continued" in lines
    assert "a long table cell that is kept whole  2" in lines  # a table is not wrapped
    assert markdown_to_text(text).splitlines()[1] == "λ toward zero however small the weight already is."
    out = io.StringIO()
    say = plain.PlainIO(stdout=out, width=30)
    say.say(say.md("- " + "word " * 20))
    assert all(len(line) <= 30 for line in out.getvalue().splitlines())
    assert plain.PlainIO(stdout=io.StringIO()).width is None  # not a terminal: the lines as written
    narrow = io.StringIO()
    plain.PlainIO(stdout=narrow, width=30).say("(open question: 2:00 to answer; answer aloud, or type your answer)")
    assert narrow.getvalue().splitlines() == ["(open question: 2:00 to", "answer; answer aloud, or type", "your answer)"]


def test_plain_mode_breaks_a_long_prompt_between_words_and_reads_the_answer_after_it() -> None:
    """The rating prompt ran past 90 columns and the terminal cut "accepts" in two."""
    out = io.StringIO()
    asking = plain.PlainIO(io.StringIO("3\n"), out, width=40)
    assert asking.ask("Rate: 1 Again (1m)  2 Hard (6m)  3 Good (10m)  4 Easy (1d) [suggested: Again]: ") == "3"
    assert out.getvalue() == "Rate: 1 Again (1m) 2 Hard (6m) 3 Good\n(10m) 4 Easy (1d) [suggested: Again]: "
    short = io.StringIO()
    plain.PlainIO(io.StringIO("x\n"), short, width=40).ask("Your answer: ")
    assert short.getvalue() == "Your answer: "  # short, as it was: the space before the answer kept


def test_plain_mode_keeps_code_and_tables_on_their_lines_at_any_width() -> None:
    """Reflowing every line printed broke a drill's starter, a model solution and a table's rows mid-line,
    and the Python no longer ran; the app's own sentences are the only lines the output breaks."""
    from quizapp.deck.plaintext import markdown_to_text

    code = "    result = some_function(argument_one, argument_two, argument_three)"
    out = io.StringIO()
    shown = plain.PlainIO(stdout=out, width=40)
    shown.show(f"Starter code:\n{code}")
    shown.show(shown.md(f"```\n{code}\n```\n\n| a long table cell that is kept whole | 2 |\n|---|---|\n| x | y |"))
    lines = out.getvalue().splitlines()
    assert [line.strip() for line in lines].count(code.strip()) == 2  # whole, each on one line
    assert "a long table cell that is kept whole  2" in lines
    assert markdown_to_text(f"```\n{code}\n```", 40).strip() == code.strip()


def test_plain_mode_wraps_by_terminal_columns_where_chinese_takes_two() -> None:
    """Lines were measured in characters, so a line mixing in Chinese terms ran 11 columns past 60 and the
    terminal broke it mid-word after all."""
    from quizapp.deck.plaintext import markdown_to_text

    text = "类别不平衡 (class imbalance) is met with 过采样 and 欠采样, or with 类别权重 in the loss; " * 3

    def columns(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)

    lines = markdown_to_text(text, 60).splitlines()
    assert len(lines) > 2 and all(columns(line) <= 60 for line in lines), lines


def test_a_table_wider_than_the_terminal_wraps_its_widest_cells_inside_their_columns() -> None:
    """At 80 columns the plain interview report's tables ran past the edge, and the terminal cut each row in two
    (`✓ 3 of` / `6 points: Hard` under the card column): a table now fits the width, its cells broken between
    words and still in their columns; without a width, or when it fits, a table is as it was."""
    from quizapp.deck.plaintext import markdown_to_text

    table = ("| # | card | time/limit | result |\n|---|---|---|---|\n"
             "| 1 | ↳ undersampling-probability-correction (class-imbalance) | 0:03/2:00 | ✓ 3 of 6 points: Hard |\n"
             "| 2 | smote-point (class-imbalance) | 0:03/15:00 | ✓ right |\n")
    lines = markdown_to_text(table, 64).splitlines()
    assert max(map(len, lines)) <= 64
    assert lines[0].split() == ["#", "card", "time/limit", "result"] and set(lines[1]) == {"-", " "}
    card, time, result = (lines[0].index(word) for word in ("card", "time/limit", "result"))
    first = lines[2:lines.index(next(line for line in lines if line.startswith("2")))]
    assert " ".join(line[card:time] for line in first).split() == [
        "↳", "undersampling-probability-correction", "(class-imbalance)"]
    assert " ".join(line[result:] for line in first).split() == "✓ 3 of 6 points: Hard".split()
    assert first[0][time:result].strip() == "0:03/2:00" and not any(line[:card].strip() for line in first[1:])
    assert lines[-1].startswith("2  smote-point") and len(lines) == 6  # the second row fits on one line
    wide = markdown_to_text(table).splitlines()
    assert len(wide) == 4 and markdown_to_text(table, 200) == markdown_to_text(table)
