"""Help: the keys and the ideas behind quizapp, in a dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from quizapp.tui.widgets.markdown_card import MarkdownCard

__all__ = ["HelpScreen"]

HELP = """\
# quizapp

**Home** `r` review · `q` quiz · `i` interview · `b` browse · `s` stats · `g` glossary · `e` content problems · `ctrl+p` all commands ·
`ctrl+q` quit. In the topic table `↑`/`↓` (or `k`/`j`), `page up`/`page down`, `home`/`end` move, and `enter` (or a
click on the highlighted row) reviews just that topic.

**Review** cards due today, scheduled by FSRS. Flashcards and cloze: `space` shows the answer, then rate
`1` Again · `2` Hard · `3` Good · `4` Easy (each button shows when you will see the card again). Choice:
number keys toggle options, `enter` checks. Numbers: type `0.75`, `3/4`, `75%` or `[0.1, -0.2]`, `enter` checks.
After a checked answer a rating is suggested: `enter` accepts it, `1`-`4` choose another. `u` undoes the last review.
`-` buries the card until tomorrow, `@` suspends it, `ctrl+1`-`ctrl+4` (or `f5`-`f8`) flag it red, orange, green or
blue (the same again clears it), `i` shows its info and history, `e` opens its file in `$VISUAL` / `$EDITOR`;
`ctrl+z` undoes each. While you type an answer these keys type; `ctrl+p` offers them too. A learning card comes
back when due (up to 20 minutes early when nothing else is left). All done: `a` reviews ahead (schedules stay as
they are), and a topic with new cards past today's limit offers `n` to learn more of them today.

**Quiz** a scored set of questions that leaves your schedule alone; the same seed asks the same questions.

**Interview** a timed mock interview: each starting question (the weak ones first) is followed by its follow-ups,
depth first, until a miss. Both countdowns and the chain's depth are shown; the time goes on past a limit.
Open questions: `ctrl+s` shows the key points, tick those you made, `r` records them. `esc` ends it; the report's
`r` reviews exactly the cards to revisit. `quizapp plan YYYY-MM-DD` sets your interview's date.

**Browse** `/` searches: words, `"a phrase"`, `topic:auc` `tag:bn` `type:cloze` `key:auc/*`, `is:due` `is:new`
`is:learn` `is:review` `is:suspended` `is:buried` `is:leech` `is:flagged`, `flag:1`, `rated:7` `failed:1`,
`prop:r<0.8` `prop:d>7` `prop:s>30` `prop:due<3`; `-` negates, `OR` joins, `( )` groups. `s` studies the cards
found (real reviews, rescheduled); `quizapp review --filter QUERY` does the same from the command line. `o` orders
by the next column (or click a header; again reverses), `O` reverses. `space` selects (`ctrl+a` all); `@` suspends
or unsuspends, `-` buries or unburies, `R` resets to new (after you confirm), `ctrl+1`-`4` / `f5`-`f8` flag the
selected cards, or the highlighted one; `ctrl+z` undoes. `i` or `enter` shows card info, `e` edits. Marks: S
suspended, B buried, L leech, ■ the flag's colour.

Keys can be changed in config.toml's `[keymap]` table (the README lists the binding ids).

**Glossary** every topic's terms in English and 中文; type to filter (either language), `enter` on a term reviews its topic.

Your content: `quizapp new my-topic` writes a starter file; `quizapp validate` checks it.
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield MarkdownCard(HELP)

    def action_dismiss(self) -> None:
        self.dismiss(None)
