"""One question on screen: the prompt, the way to answer it, and what is shown once it is answered.

Used by the review and the quiz screens; they decide what happens after the answer (rate, or next).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static, TextArea

from quizapp.deck.plaintext import sources_line, with_label
from quizapp.safetext import visible
from quizapp.tui.keys import action_key
from quizapp.study.questions import LETTERS, TYPED, Outcome, Question
from quizapp.tui.widgets.answer_input import AnswerInput
from quizapp.tui.widgets.choice_list import ChoiceList
from quizapp.tui.widgets.key_points import KeyPointList
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.typing_area import TypingArea

__all__ = ["QuestionPanel"]

KIND_LABELS = {
    "flashcard": "Flashcard",
    "cloze": "Cloze",
    "choice": "Multiple choice",
    "numeric": "Numeric",
    "generated": "Generated problem",
    "code": "Coding drill: {submit} opens the editor",
    "open": "Open question",
}
OPEN_HINT = "Answer aloud, or type here (Enter: a new line) · {key} shows the model answer and the key points"


class QuestionPanel(VerticalScroll):
    """Shows a Question; `reveal()` shows the back; `show_outcome()` marks an auto-checked answer."""

    def compose(self) -> ComposeResult:
        yield Static("", id="question-meta")
        yield MarkdownCard(id="question-prompt")
        yield ChoiceList(id="choices")
        yield AnswerInput(id="answer-box")
        yield TypingArea(id="open-answer", soft_wrap=True, tab_behavior="focus")
        yield Static("", id="open-hint", markup=False)
        yield Static("", id="verdict")
        yield KeyPointList(id="key-points")
        yield MarkdownCard(id="question-back")

    def show(self, question: Question, *, note: str = "") -> None:
        self.question = question
        self.revealed = False
        kind = KIND_LABELS.get(question.kind, question.kind).format(submit=action_key(self.screen, "submit"))
        # Content.assemble reads no markup: names and messages from data are shown as written
        # The note ("follow-up") before the key: on a narrow screen the line is cut at its end, and the key is
        # the part a user can do without.
        meta = [(visible(question.item.topic), "bold"), f"  ·  {kind}  ·  "]
        if note:
            meta += [(visible(note), "yellow"), "  ·  "]
        meta.append((visible(question.key), "dim"))
        self.query_one("#question-meta", Static).update(Content.assemble(*meta))
        self.query_one("#question-prompt", MarkdownCard).show(question.prompt)
        choices = self.query_one(ChoiceList)
        choices.display = question.kind == "choice"
        if question.kind == "choice":
            choices.set_options(question.options, question.multiple)
        box = self.query_one(AnswerInput)
        box.display = question.kind in {"numeric", "generated"}
        box.reset(question.answer_size)
        self.query_one("#verdict", Static).update("")
        is_open = question.kind == "open"
        typed = self.query_one("#open-answer", TextArea)
        typed.display = is_open
        typed.read_only = False
        typed.remove_class("-revealed")
        typed.text = ""
        self.query_one("#open-hint", Static).update(OPEN_HINT.format(key=action_key(self.screen, "show_answer")))
        self.query_one("#open-hint").display = is_open
        points = self.query_one(KeyPointList)
        points.display = False
        points.disabled = False
        back = self.query_one("#question-back", MarkdownCard)
        back.display = False
        back.show("")
        self.scroll_home(animate=False)
        if box.display:
            box.focus_input()
        elif is_open:
            typed.focus()

    @property
    def typed_answer(self) -> str:
        """What the user typed into an open question's answer box."""
        return self.query_one("#open-answer", TextArea).text

    def reveal_open(self, outcome: Outcome) -> None:
        """Show an open question's key points as a checklist (none ticked, keyword matches marked) and its
        model answer."""
        self.revealed = True
        typed = self.query_one("#open-answer", TextArea)
        typed.read_only = True
        typed.add_class("-revealed")
        typed.display = bool(typed.text.strip())  # an answer given aloud leaves no empty box behind
        self.query_one("#open-hint").display = False
        self.query_one("#verdict", Static).update(Content.assemble((visible(outcome.message), "bold")))
        points = self.query_one(KeyPointList)
        points.set_points(self.question.key_points, outcome.points or frozenset(), outcome.suggested)
        points.display = True
        points.focus()
        self._show_back("### Model answer\n\n" + self.question.answer)

    def show_points(self, summary: str, style: str = "bold") -> None:
        """The points ticked so far, in words ("3 of 4 points: Hard")."""
        self.query_one("#verdict", Static).update(Content.assemble((visible(summary), style)))

    def reveal(self) -> None:
        """Show the back of a self-rated card."""
        self.revealed = True
        self._show_back(self._self_graded_answer())

    def _self_graded_answer(self) -> str:
        question = self.question
        return with_label("Answer:", question.answer) if question.kind == "flashcard" else question.answer

    def show_outcome(self, outcome: Outcome) -> None:
        question = self.question
        self.revealed = True
        if question.kind == "choice":
            self.query_one(ChoiceList).mark(question.correct_options)
        self.query_one(AnswerInput).freeze()
        colour = "green" if outcome.correct else "red"
        symbol = "✓" if outcome.correct else "✗"
        self.query_one("#verdict", Static).update(Content.assemble((visible(f"{symbol} {outcome.message}"),
                                                                    f"bold {colour}")))
        parts: list[str] = []
        if question.kind == "choice":
            parts += [f"- **{LETTERS[i]})** {'✓ ' if o.correct else ''}{o.why}" for i, o in enumerate(question.options)
                      if o.why]
        elif question.kind in TYPED and not outcome.response:  # a typed answer's verdict states it
            parts.append(with_label("Expected:", question.answer))
        elif question.self_graded:
            parts.append(self._self_graded_answer())  # graded y or n: the answer stays in view
        self._show_back("\n".join(parts))

    def _show_back(self, head: str) -> None:
        question = self.question
        sections = [head] if head else []
        if question.solution:
            sections.append("### Worked solution\n\n" + question.solution)
        if question.explanation:
            sections.append("### Why\n\n" + question.explanation)
        if question.sources:
            sections.append("*" + sources_line(question.sources) + "*")
        back = self.query_one("#question-back", MarkdownCard)
        back.show("\n\n".join(sections))
        back.display = True
