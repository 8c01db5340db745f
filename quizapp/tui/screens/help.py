"""Help: the keys and the ideas behind quizapp, in a dialog."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Footer

from quizapp.tui.keys import names_of
from quizapp.tui.widgets.markdown_card import MarkdownCard

__all__ = ["HELP", "HelpScreen", "help_text"]

# `{binding id}` is replaced by the keys bound to it now (the user's [keymap] applied), as the footer names them.
HELP = """\
# quizapp

**Home** {home.review} review · {home.quiz} quiz · {home.interview} interview · {home.browse} browse · {home.stats} stats ·
{home.glossary} glossary · {home.errors} content problems · `^p` all commands · {app.quit} quit · {home.help} or {app.help}
this help. In the topic table {home.topic-up}/{home.topic-down}, {home.topic-page-up}/{home.topic-page-down},
{home.topic-first}/{home.topic-last} move, and {home.topic-review} (or a click on the highlighted row) reviews just that topic.

**Review** cards due today, scheduled by FSRS. Flashcards and cloze: {review.reveal} shows the answer, then rate
{review.key1} Again · {review.key2} Hard · {review.key3} Good · {review.key4} Easy (each button shows when you will see the
card again). Choice: {review.key1}, {review.key2}, {review.key3}… toggle options, {review.submit} checks. Numbers:
type `0.75`, `3/4`, `75%` or `[0.1, -0.2]`, {review.submit} checks. Not known? {review.show-answer} shows the answer
of a choice or typed question instead, counted as a miss. After a checked answer a rating is suggested: {review.submit} accepts it, the
rating keys choose another. {review.undo-u} undoes the last review. {review.bury} buries the card until tomorrow,
{review.suspend} suspends it, {review.flag-red} flags it red, {review.flag-orange} orange, {review.flag-green} green,
{review.flag-blue} blue (the same again clears it; terminals without the kitty keyboard protocol, tmux among them,
cannot send ctrl+digit), {review.info} shows its info and history, {review.edit} opens its file in `$VISUAL` /
`$EDITOR`; {review.undo} undoes each. While you type an answer these keys type; `^p` offers them too. A learning
card comes back when due (up to 20 minutes early when nothing else is left). All done: {review.ahead} reviews ahead
(schedules stay as they are), and a topic with new cards past today's limit offers {review.more-new} to learn more
of them today.

**Long cards** scroll (the scrollbar on the right says there is more): {review.line-down} and {review.line-up} a line,
{review.page-down} and {review.page-up} a page, {review.half-down} and {review.half-up} half a page. On an open
question's checklist `↑` and `↓` move through the points, and {review.page-down} reaches the model answer.

**Quiz** a scored set of questions that leaves your schedule alone; the same seed asks the same questions.

**Interview** a timed mock interview: each starting question (the weak ones first) is followed by its follow-ups,
depth first, until a miss. Both countdowns and the chain's depth are shown; the time goes on past a limit.
Open questions: {interview.show-answer} shows the key points, tick those you made, {interview.record-points} records
them. A coding drill comes last: {interview.submit} opens the editor, with the interview's clock in view and no
model solution until the code passes. {interview.finish} ends it; the report's {interview-report.revisit} reviews
exactly the cards to revisit. `quizapp plan YYYY-MM-DD` sets your interview's date.

**Browse** {browse.search} searches: words, `"a phrase"`, `topic:auc*` `tag:bn` `tag:none` `type:cloze` `key:auc/*`, `is:due`
`is:new` `is:learn` `is:review` `is:suspended` `is:buried` `is:leech` `is:flagged`, `flag:1`, `rated:7` `rated:7:1` `failed:1` `introduced:7`,
`prop:r<0.8` `prop:d>7` `prop:s>30` `prop:due<3` `prop:ivl>=10` `prop:reps<10` `prop:lapses>3`; `-` negates, `OR` joins, `( )` groups; {browse.leave-search} goes
back to the list (the search stays), again goes home. {browse.study} studies the cards found (real reviews,
rescheduled); `quizapp review --filter QUERY` does the same from the command line. {browse.sort} orders by the next
column (or click a header; again reverses), {browse.reverse} reverses. {browse.select} selects ({browse.select-all}
all shown); {browse.suspend} suspends or unsuspends, {browse.bury} buries or unburies, {browse.reset} resets to new
(after you confirm), {browse.flag-red} / {browse.flag-orange} / {browse.flag-green} / {browse.flag-blue} flag red,
orange, green or blue: the selected cards that are shown, or the highlighted one (the title says how many selected
cards the search hides; they are left alone); {browse.undo} undoes. {browse.info} or `Enter` shows card info,
{browse.edit} edits; {browse.down} and {browse.up} (or the arrows) move in the list. Marks: S suspended, B buried, L leech, ■ the flag's colour.

Keys can be changed in config.toml's `[keymap]` table (the README lists the binding ids).

**Glossary** every topic's terms in English and 中文; type to filter (either language), {glossary.leave-search} goes
back to the list ({glossary.down} and {glossary.up} move in it) and {glossary.search} to the search again, `Enter` on a
term reviews its topic.

Your content: `quizapp new my-topic` writes a starter file; `quizapp validate` checks it.
"""


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield MarkdownCard(help_text(self))
        yield Footer()  # says how to close the help, in place of the screen's footer beneath

    def action_dismiss(self) -> None:
        self.dismiss(None)


def help_text(node: DOMNode) -> str:
    """HELP with each `{binding id}` replaced by its keys, each as code: `^1`/`f5`."""
    from quizapp.tui.screens.browse import BrowseScreen
    from quizapp.tui.screens.glossary import GlossaryScreen
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.screens.interview import InterviewScreen
    from quizapp.tui.screens.interview_report import InterviewReportScreen
    from quizapp.tui.screens.review import ReviewScreen

    # the app's own class is read from the running app: importing QuizApp here would be an import cycle
    owners = {"app": type(node.app), "home": HomeScreen, "review": ReviewScreen, "interview": InterviewScreen,
              "interview-report": InterviewReportScreen, "browse": BrowseScreen, "glossary": GlossaryScreen}

    def keys(match: re.Match) -> str:
        binding_id = match[1]
        owner = owners[binding_id.partition(".")[0]]
        return "/".join(f"`{key}`" for key in names_of(node, binding_id, owner))

    return re.sub(r"\{([a-z-]+\.[a-z0-9-]+)\}", keys, HELP)
