"""Browse: search every card with the search language (quizapp.study.query), sort the list by its columns,
select cards and act on them (suspend, bury, reset, flag, edit, info), and see the highlighted card with its
schedule and history below the list. Dismissed with the keys of the cards found when the user studies them
("s"), else with None."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from datetime import timedelta

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from quizapp.deck.model import StudyItem
from quizapp.formatting import card_details_markdown, due_when, history_rows
from quizapp.errors import UserError
from quizapp.safetext import one_line, text
from quizapp.study.card_info import card_info
from quizapp.study.card_list import SORTS, ListedCard, list_cards, sort_cards
from quizapp.study.clock import StudyDay, from_ms, to_ms
from quizapp.study.marking import describe_marks, mark
from quizapp.study.scheduling import Scheduling, format_interval
from quizapp.study.query import select_now
from quizapp.study.queue import buried_siblings
from quizapp.study.store import FLAG_COLOURS, StoreError
from quizapp.tui.card_edit import edit_card
from quizapp.tui.cut import CutLine
from quizapp.tui.flags import FLAG_STYLES, flag_bindings, flag_text
from quizapp.tui.keys import key_names
from quizapp.tui.screens.card_info import CardInfoScreen
from quizapp.tui.screens.confirm import ConfirmScreen
from quizapp.tui.services import Services
from quizapp.tui.widgets.fitting_footer import FittingFooter
from quizapp.tui.widgets.fixed_width_table import FixedWidthTable
from quizapp.tui.widgets.markdown_card import MarkdownCard
from quizapp.tui.widgets.title_bar import TitleBar
from quizapp.tui.widgets.search_box import SearchBox

__all__ = ["BrowseScreen"]

# (column key, header, width; None: shares what is left), in table order
COLUMNS = (("selected", "", 1), ("marks", "Marks", 5), ("card", "Card", None), ("type", "Type", 9),
           ("due", "Due", 10), ("interval", "Ivl", 5), ("difficulty", "D", 4), ("lapses", "Laps", 6),
           ("recall", "R", 4), ("tags", "Tags", None))
NARROW_DROPS = ("tags", "type")  # on a narrow terminal these give way to the card's key (the detail pane shows them)
CARD_WANTS = 24  # the card column's width before a column gives way (a key is topic/id, often 30 or more)
COLUMN_SORTS = {"card": "topic", "due": "due", "interval": "interval", "difficulty": "difficulty",
                "lapses": "lapses", "recall": "recall"}
SORT_NAMES = {"deck": "deck order", "due": "due date", "interval": "interval", "difficulty": "difficulty",
              "lapses": "lapses", "recall": "recall now", "topic": "topic"}
# The search box's placeholder, longest first: the first that fits the box's width is shown ({help}: the keys
# of the app's help, which lists every term).
PLACEHOLDERS = (
    'Search: words, "a phrase", topic:auc* tag:bn type:cloze is:due failed:7 prop:r<0.8, -not, OR, (...)',
    'Search: words, "a phrase", topic:auc* tag:bn type:cloze is:due prop:r<0.8, -not, OR, (...)',
    'Search: words, "a phrase", topic:auc* is:due, -not, OR ({help}: help)',
    'Search: words, topic:auc* is:due ({help}: help)',
    "Search ({help}: help)",
)

# With a cell's padding, 44 of the side's 49 columns; a narrower side (80 columns) leaves out those on the right.
HISTORY_COLUMNS = (("When", 16), ("What", 9), ("Rating", 7), ("Time", 4))


def _on_the_search_typed(action: Callable[..., None]) -> Callable[..., None]:
    """An action on the list: a search still waiting for a pause in typing applies first (see on_input_changed),
    so that no action reads the list of an older search."""
    @functools.wraps(action)  # Textual reads the action's parameters through the wrapper
    def run(screen: BrowseScreen, *parameters: object) -> None:
        screen.apply_search()
        action(screen, *parameters)
    return run


class BrowseScreen(Screen[list[str] | None]):
    CSS_PATH = "browse.tcss"
    SEARCH_DELAY = 0.25  # seconds without a key in the search box before the list follows it (a refill of
    # 10,000 cards takes about 0.3 s: shorter, and the pauses of an even typist refill it between letters)
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="browse.search", show=False),  # the box is in view
        Binding("space", "toggle_selected", "Select", id="browse.select"),
        Binding("j", "list_move(1)", "Next card", id="browse.down", show=False),  # as in home's topic table
        Binding("k", "list_move(-1)", "Previous card", id="browse.up", show=False),
        Binding("ctrl+a", "select_all", "Select all", id="browse.select-all", show=False),
        Binding("s", "study", "Study these", id="browse.study"),
        Binding("o", "sort", "Order", id="browse.sort"),
        Binding("O", "reverse", "Reverse", id="browse.reverse", show=False),
        Binding("at", "suspend", "Suspend", id="browse.suspend"),
        Binding("minus", "bury", "Bury", id="browse.bury"),
        Binding("R", "reset", "Reset", id="browse.reset", show=False),  # rare, and it asks first: help (F1) and ctrl+p list it
        *flag_bindings("browse"),
        Binding("i", "info", "Info", id="browse.info"),
        Binding("e", "edit", "Edit", id="browse.edit"),
        Binding("ctrl+z", "undo", "Undo", id="browse.undo", show=False),  # each action says so
        # Escape in the search box goes back to the list, the search kept; from the list it goes home.
        Binding("escape", "leave_search", "Back to list", id="browse.leave-search"),
        Binding("escape", "dismiss", "Home", id="browse.home"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.query_text = ""
        self.shown: list[ListedCard] = []
        self.selected: set[str] = set()
        self.sort = "deck"
        self.reverse = False
        self._listed: dict[str, ListedCard] = {}
        self._listed_at = services.clock.now()  # when the store was read for _listed
        self._row_cells: dict[str, dict[str, Text]] = {}  # a listed card's cells (selected apart), once drawn
        self._card_width = 0  # the card column's, for which the cells were drawn
        self._undo: list[tuple[str, tuple[int, ...]]] = []  # what was done, and the events it wrote
        self._deck = services.deck
        self.found: list[str] = []  # the study items' keys the search found (a cloze card's deletions apart)
        self._columns: list[tuple[str, str, int]] = []  # the list's columns as last filled
        self._filled_for: tuple[object, ...] | None = None  # the rows and reading of the store last filled
        self._detail_for: tuple[object, ...] | None = None  # what the detail pane shows now (see _show_cursor)
        self._listing = 0  # counts the store's reads (_relist): a card's schedule or history may have changed
        self._search_timer: Timer | None = None  # runs out SEARCH_DELAY after the search box's last change

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield SearchBox(placeholder=PLACEHOLDERS[0], id="search")  # fitted to the width on resize
        yield Static("", id="search-problem")  # shown while the search cannot be read
        with Vertical(id="browse"):
            yield FixedWidthTable(id="cards", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="detail"):
                with VerticalScroll(id="detail-card"):
                    yield Static("", id="topic-summary")
                    yield MarkdownCard("Select a card to see it.", id="card-detail")
                with Vertical(id="detail-side"):
                    yield Static("", id="detail-schedule")
                    yield DataTable(id="detail-history", cursor_type="none", zebra_stripes=True)
        yield FittingFooter(drop=("edit", "info", "sort", "toggle_selected"))  # enter shows info too; help lists all

    def on_mount(self) -> None:
        self.title = "Browse"
        self._fit_history()
        self._relist()
        self.query_one("#cards", DataTable).focus()
        self._filter("")

    def on_screen_resume(self) -> None:
        if self.services.deck is not self._deck:  # the content was edited from card info
            self._reload()

    # --- searching (the query picks the items; sorting and marks are this screen's) --------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        # Refilling a list of 10,000 cards takes about 0.3 s (it took 1.5 s): at each key typing stuttered. The
        # list follows the box once typing pauses; Enter, leaving the box and every action on the list apply the
        # search at once. (A new timer, not Timer.reset: that restarts it only when its current wait ends.)
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(self.SEARCH_DELAY, self.apply_search, name="browse search")

    def apply_search(self) -> None:
        """The list for the search as typed, unless it shows that one already."""
        if self.query_one("#search", Input).value != self.query_text:
            self._refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.apply_search()
        self.query_one("#cards", DataTable).focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "search":  # the list in view is the one searched for (tab or a click left the box)
            self.apply_search()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_leave_search(self) -> None:
        self.apply_search()
        self.query_one("#cards", DataTable).focus()

    @_on_the_search_typed
    def action_list_move(self, rows: int) -> None:
        table = self.query_one("#cards", DataTable)
        table.action_cursor_down() if rows > 0 else table.action_cursor_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_search":
            return isinstance(self.focused, Input)
        return True

    @_on_the_search_typed
    def action_study(self) -> None:
        """Review exactly the cards found, as real reviews (the app opens the review)."""
        if not self.found:
            self.notify("No card to study: change the search.", severity="warning")
            return
        self.dismiss(list(self.found))

    def _filter(self, query: str) -> None:
        self.query_text = query
        problem = self.query_one("#search-problem", Static)
        try:
            items = self._search(query)
        except UserError as error:  # while the query is being typed: the list stays, the problem shows
            column = getattr(error, "column", None)
            self.sub_title = f"the search cannot be read at column {column}" if column else "the search cannot be read"
            problem.update(text(str(error)))
            problem.display = True
            return
        problem.display = False
        self.found = [item.key for item in items]
        self.shown = sort_cards([self._listed[key] for key in self.found if key in self._listed], self.sort,
                                reverse=self.reverse)
        if self._filled() == self._filled_for:  # typing on often finds the same cards: the list shows them
            self._update_subtitle()  # (in place of a problem with the search)
            return
        self._fill()

    def _filled(self) -> tuple[object, ...]:
        """What a fill of the list shows: the rows, as of a reading of the store, and the order in the header."""
        return self._listing, self.sort, self.reverse, [row.key for row in self.shown]

    def _refilter(self) -> None:
        """The list anew for the search as typed (one waiting for a pause in typing applies now)."""
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self._filter(self.query_one("#search", Input).value)

    def _search(self, query: str) -> list[StudyItem]:
        services = self.services
        return select_now(query, services.deck, services.store, services.settings, services.clock)

    def _relist(self) -> None:
        """Every item's row anew from the store (after an action changed some)."""
        services = self.services
        now = self._listed_at = services.clock.now()
        day = StudyDay.containing(now, services.clock.tz, services.settings.day_starts_at)
        set_aside = buried_siblings(services.deck, services.store, services.settings, now, day)
        rows = list_cards(services.deck.items(), services.store, Scheduling(services.settings), now, set_aside)
        self._listed = {row.key: row for row in rows}
        self._row_cells = {}
        self._listing += 1

    def _reload(self) -> None:
        self._deck = self.services.deck
        self.selected &= self.services.deck.item_keys
        self._relist()
        self._refilter()

    # --- the list ------------------------------------------------------------------------------------

    def _fill(self) -> None:
        table = self.query_one("#cards", DataTable)
        if not table.size.width:
            return  # not laid out yet: its columns' widths are not known, and on_resize fills it then
        current = self._cursor_key()
        table.clear(columns=True)
        columns = self._columns = self._column_widths(self._list_width())
        card_width = dict((key, width) for key, _, width in columns)["card"]
        if card_width != self._card_width:  # the keys are cut to the card column's width: drawn anew
            self._card_width, self._row_cells = card_width, {}
        for key, label, width in columns:
            arrow = (" ▼" if self.reverse else " ▲") if COLUMN_SORTS.get(key) == self.sort else ""
            table.add_column(Text(label + arrow), width=width, key=key)
        # A search shows most cards again: their cells are built once per reading of the store. (Building them
        # anew was a third of a fill of 10,000 cards, and another third went to the garbage collector, run by
        # the many new objects over the deck's.)
        for row in self.shown:
            cells = self._row_cells.get(row.key)
            if cells is None:
                cells = self._row_cells[row.key] = self._cells(row)
            selected = _selected(row.key in self.selected)
            table.add_row(*(selected if key == "selected" else cells[key] for key, _, _ in columns), key=row.key)
        keys = [row.key for row in self.shown]
        if current in keys:
            table.move_cursor(row=keys.index(current), animate=False)
        self._filled_for = self._filled()
        self._update_subtitle()
        self._show_cursor()

    def on_resize(self) -> None:
        # The card and tags columns share the width; refilling a long list is slow, so only when they change.
        if self._column_widths(self._list_width()) != self._columns:
            self._fill()
        self.call_after_refresh(self._fit_placeholder)
        self.call_after_refresh(self._fit_history)  # once the side has its new width

    def _list_width(self) -> int:
        return self.query_one("#cards", DataTable).size.width

    def _fit_placeholder(self) -> None:
        """The longest of the search's placeholders that fits the box (the whole syntax was cut at 100 columns)."""
        box = self.query_one("#search", Input)
        texts = [text.format(help=key_names(self.app, "app.help")) for text in PLACEHOLDERS]
        box.placeholder = next((text for text in texts if len(text) <= box.content_region.width), texts[-1])

    def _fit_history(self) -> None:
        """The history's columns that fit the side's width, from the left (all of them before its first layout);
        the highlighted card shown again to fit."""
        history = self.query_one("#detail-history", DataTable)
        room = history.scrollable_content_region.width or sum(width + 2 for _, width in HISTORY_COLUMNS)
        fitting = [column for index, column in enumerate(HISTORY_COLUMNS)
                   if sum(width + 2 for _, width in HISTORY_COLUMNS[:index + 1]) <= room]
        if len(fitting) != len(history.columns):
            history.clear(columns=True)
            for label, width in fitting:
                history.add_column(label, width=width)
        self._show_cursor()  # its rows for these columns, its key broken for this width

    def _column_widths(self, total: int) -> list[tuple[str, str, int]]:
        """The columns shown in `total` cells and their widths: the card and tags columns share what is left,
        and where the card's key would be cut short, tags and then type are left out."""
        longest = max((len(row.key) for row in self.shown), default=4)
        columns = list(COLUMNS)
        for dropped in NARROW_DROPS:
            if _spare(columns, total) >= min(longest, CARD_WANTS) + 4 * any(key == "tags" for key, _, _ in columns):
                break
            columns = [column for column in columns if column[0] != dropped]
        spare = max(_spare(columns, total), 20)
        if any(key == "tags" for key, _, _ in columns):
            card = max(min(longest, spare - 8), min(12, spare))
            flexible = {"card": card, "tags": max(spare - card, 4)}
        else:
            flexible = {"card": spare}
        return [(key, label, flexible[key] if width is None else width) for key, label, width in columns]

    def _cells(self, row: ListedCard) -> dict[str, Text]:
        """The row's cells but "selected", as of the store's reading (the row's data are)."""
        tz, now = self.services.clock.tz, self._listed_at
        card = row.item.card.card
        due = "new" if row.due_ms is None else f"{from_ms(row.due_ms).astimezone(tz):%Y-%m-%d}"
        return {
            "marks": _marks(row, to_ms(now)),
            "card": Text(_cut_key(one_line(row.key), self._card_width), no_wrap=True, overflow="ellipsis"),
            "type": Text(card.type, style="dim"),
            "due": Text(due, style="dim" if row.due_ms is None else ""),
            "interval": Text("" if row.interval_days is None else format_interval(timedelta(days=row.interval_days)),
                             justify="right"),
            "difficulty": Text("" if row.difficulty is None else f"{row.difficulty:.1f}", justify="right"),
            "lapses": Text(str(row.lapses) if row.lapses else "", justify="right"),
            "recall": Text("" if row.recall is None else f"{row.recall:.0%}", justify="right"),
            "tags": Text(one_line(", ".join(card.tags)), style="dim", no_wrap=True, overflow="ellipsis"),
        }

    def _cursor_key(self) -> str | None:
        table = self.query_one("#cards", DataTable)
        if not table.is_valid_coordinate(table.cursor_coordinate):  # no rows, or a cursor past a shorter list
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "cards":
            self._show_cursor()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "cards":
            self.action_info()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        sort = COLUMN_SORTS.get(str(event.column_key.value))
        if sort is None:
            return
        self.reverse = not self.reverse if sort == self.sort else False
        self.sort = sort
        self._refilter()

    def action_sort(self) -> None:
        """The next column to sort by: deck order, due, interval, difficulty, lapses, recall, topic."""
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reverse = False
        self._refilter()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self._refilter()

    # --- the detail pane follows the cursor ---------------------------------------------------------------

    def _show_cursor(self) -> None:
        """The highlighted card in the detail pane, unless it shows that already: the list's refills, the cursor's
        moves and the layout all ask for it, and drawing the card's Markdown again each time was slow."""
        key = self._cursor_key()
        schedule = self.query_one("#detail-schedule", Static)
        shown_for = (key, self._listing, bool(self.shown), schedule.scrollable_content_region.width,
                     len(self.query_one("#detail-history", DataTable).columns))
        if shown_for == self._detail_for:
            return
        self._detail_for = shown_for
        item = self.services.deck.item(key) if key else None
        if item is None:
            self.query_one("#topic-summary", Static).update("")
            self.query_one("#card-detail", MarkdownCard).show("No card matches." if not self.shown else "")
            self.query_one("#detail-schedule", Static).update("")
            self.query_one("#detail-history", DataTable).clear()
            return
        self._show(item)

    def _show(self, item: StudyItem) -> None:
        services = self.services
        topic = services.deck.topic(item.topic)
        summary = Text.assemble((one_line(topic.title), "bold"), " — ",  # content text: a Text, never markup
                                one_line(topic.summary) if topic.summary else ("no summary", "dim"))
        self.query_one("#topic-summary", Static).update(CutLine(summary))  # one line, cut at the screen's width
        markdown = card_details_markdown(item.card, services.store, services.settings, services.clock,
                                         schedule=False, heading=False)  # the side names the card
        self.query_one("#card-detail", MarkdownCard).show(markdown)
        now = services.clock.now()
        info = card_info(services.deck, services.store, Scheduling(services.settings), item, now,
                         settings=services.settings,
                         day=StudyDay.containing(now, services.clock.tz, services.settings.day_starts_at))
        schedule = self.query_one("#detail-schedule", Static)
        schedule.update(_schedule_text(info, now, services.clock.tz, schedule.scrollable_content_region.width))
        history = self.query_one("#detail-history", DataTable)
        history.clear()
        for row in history_rows(info, services.clock.tz):
            history.add_row(*(Text(one_line(cell)) for cell in row[:len(history.columns)]))

    # --- selection and actions -----------------------------------------------------------------------

    @_on_the_search_typed
    def action_toggle_selected(self) -> None:
        key = self._cursor_key()
        if key is None:
            return
        self.selected ^= {key}
        table = self.query_one("#cards", DataTable)
        table.update_cell(key, "selected", _selected(key in self.selected))
        self._update_subtitle()
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1, animate=False)

    @_on_the_search_typed
    def action_select_all(self) -> None:
        shown = {row.key for row in self.shown}
        # ctrl+a again unselects the shown cards only: those a search hides stay selected, as the title says
        self.selected = self.selected - shown if shown <= self.selected else self.selected | shown
        self._fill()

    def _update_subtitle(self) -> None:
        selected = len(self._selected_shown())
        hidden = len(self.selected) - selected
        self.sub_title = (f"{len(self.shown)} of {len(self._listed)} cards · sorted by {SORT_NAMES[self.sort]}"
                          + (" (reversed)" if self.reverse else "")
                          + (f" · {selected} selected" if selected else "")
                          + (f" · {hidden} selected not shown" if hidden else ""))

    def _selected_shown(self) -> list[str]:
        return [row.key for row in self.shown if row.key in self.selected]

    def _targets(self) -> list[str]:
        """What an action acts on, as in Anki: the selected cards that are shown, else the highlighted one. A
        selected card the search hides is kept selected for a later search, and left alone."""
        key = self._cursor_key()
        targets = self._selected_shown() or ([key] if key else [])
        if not targets:
            self.notify("No card is shown: change the search.", severity="warning")
        return targets

    def _left_alone(self, keys: list[str]) -> str:
        """" · 2 selected but hidden: left alone" when the search hides some selected cards, else ""."""
        hidden = len(self.selected.difference(keys, (row.key for row in self.shown)))
        return f" · {hidden} selected but hidden: left alone" if hidden else ""

    @_on_the_search_typed
    def action_suspend(self) -> None:
        keys = self._targets()
        if any(not self._listed[key].marks.suspended for key in keys):
            self._apply(keys, "suspend", "Suspended")
        else:
            self._apply(keys, "unsuspend", "Unsuspended")

    @_on_the_search_typed
    def action_bury(self) -> None:
        keys = self._targets()
        now_ms = to_ms(self.services.clock.now())
        # buried by hand, or set aside as the sibling of a card answered today (B): unburying brings either back
        if any(not (self._listed[key].marks.buried(now_ms) or self._listed[key].set_aside) for key in keys):
            self._apply(keys, "bury", "Buried")
        else:
            self._apply(keys, "unbury", "Unburied", set_aside={key for key in keys if self._listed[key].set_aside})

    @_on_the_search_typed
    def action_flag(self, colour: int) -> None:
        keys = self._targets()
        if keys and all(self._listed[key].marks.flag == colour for key in keys):
            self._apply(keys, "flag", "Cleared the flag of", flag=0)
        else:
            self._apply(keys, "flag", f"Flagged {FLAG_COLOURS[colour]}:", flag=colour)

    @_on_the_search_typed
    def action_reset(self) -> None:
        keys = self._targets()
        if not keys:
            return
        what = keys[0] if len(keys) == 1 else f"{len(keys)} cards"
        left_alone = self._left_alone(keys)

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply(keys, "reset", "Reset to new:")

        self.app.push_screen(ConfirmScreen(f"Reset {what} to new? Schedules start again; the history is kept "
                                           f"({key_names(self, 'browse.undo')} undoes it)." + left_alone, yes="Reset"),
                           answered)

    def _apply(self, keys: list[str], action: str, done: str, flag: int | None = None,
               set_aside: Collection[str] = ()) -> None:
        if not keys:
            return
        services = self.services
        now = services.clock.now()
        day = StudyDay.containing(now, services.clock.tz, services.settings.day_starts_at)
        try:
            written = mark(services.store, keys, action, day, to_ms(now), flag=flag, set_aside=set_aside)
        except StoreError as problem:
            self.notify(str(problem), title="Not changed", severity="error")
            return
        what = keys[0] if len(keys) == 1 else f"{len(keys)} cards"
        if written:
            self._undo.append((f"{done} {what}", tuple(row.id for row in written)))
        undo = f": {key_names(self, 'browse.undo')} to undo" if written else " (no change)"
        self.notify(f"{done} {what}{undo}{self._left_alone(keys)}", timeout=4)
        self._refresh_rows()

    def action_undo(self) -> None:  # reads no list: what it undid is shown with the search as typed
        if not self._undo:
            self.notify("Nothing to undo here.", severity="warning")
            return
        done, event_ids = self._undo.pop()
        for event_id in reversed(event_ids):
            self.services.store.undo_event(event_id)
        self.notify(f"Undid: {done}", timeout=3)
        self._refresh_rows()

    def _refresh_rows(self) -> None:
        self._relist()
        self._refilter()

    @_on_the_search_typed
    def action_info(self) -> None:
        key = self._cursor_key()
        if key is not None:
            self.app.push_screen(CardInfoScreen(self.services, key))

    @_on_the_search_typed
    def action_edit(self) -> None:
        key = self._cursor_key()
        if key is not None and edit_card(self.app, self.services, key):
            self._reload()


def _spare(columns, total: int) -> int:
    """What `total` cells leave to the card and tags columns besides the fixed ones, cell padding and a scrollbar."""
    return total - sum(width for _, _, width in columns if width is not None) - 2 * len(columns) - 2


_SELECTED = {True: Text("●", style="bold"), False: Text("", style="bold")}  # one of each: cells are only drawn


def _selected(selected: bool) -> Text:
    return _SELECTED[selected]


def _marks(row: ListedCard, now_ms: int) -> Text:
    """S suspended, B buried (by hand, or set aside as the sibling of a card answered today: is:buried finds
    both), L leech and a coloured square for the flag."""
    marks = row.marks
    cells = Text()
    buried = marks.buried(now_ms) or row.set_aside
    for shown, letter, style in ((marks.suspended, "S", "bold yellow"), (buried, "B", "bold cyan"),
                                 (marks.leech, "L", "bold magenta")):
        if shown:
            cells.append(letter, style)
    if marks.flag:
        cells.append("■", FLAG_STYLES[marks.flag])
    return cells


def _schedule_text(info, now, tz, width: int = 0) -> Text:
    """The highlighted card's key (in lines of `width`), then its schedule in two lines above its history."""
    line = Text.assemble((_broken_key(one_line(info.key), width), "bold"), f"\n{info.state}")
    if info.schedule is not None:
        due = from_ms(info.schedule.due_ms)
        when = due_when(due, now)
        line.append(f"  due {due.astimezone(tz):%Y-%m-%d} ({when})")
        stability = info.schedule.stability
        difficulty = info.schedule.difficulty
        line.append("\n" + "  ·  ".join([
            f"S {stability:.1f}d" if stability is not None else "S —",
            f"D {difficulty:.1f}" if difficulty is not None else "D —",
            f"R {info.retrievability:.0%}" if info.retrievability is not None else "R —",
            f"lapses {info.lapses}"]))
    else:
        line.append("\nNot reviewed yet.", style="dim")
    marks = [word for word in describe_marks(info.marks, to_ms(now), info.set_aside_by) if not word.startswith("flag")]
    if marks or info.marks.flag:
        line.append("\n")
        line.append(", ".join(marks), style="bold yellow")
        if info.marks.flag:
            line.append("  " if marks else "")
            line.append_text(flag_text(info.marks.flag) + " flag")
    return line


def _cut_key(key: str, width: int) -> str:
    """`key` in `width` cells, cut in the middle: its end tells a card's deletions apart (cut at the end, the two
    of auc-roc/auc-mann-whitney-cloze were 'auc-roc/auc-mann-whitne…' both)."""
    if width <= 1 or len(key) <= width:
        return key
    head = (width - 1) // 2
    return key[:head] + "…" + key[len(key) - (width - 1 - head):]


def _broken_key(key: str, width: int) -> str:
    """`key` in lines of at most `width` (0: one line), each broken after a "/" or a "-", never inside a word:
    Textual breaks a line only at spaces, and cut 'auc-roc/auc-as-ranki' / 'ng-probability'."""
    if width <= 0 or len(key) <= width:
        return key
    lines = [""]
    for part in re.findall(r"[^/-]+[/-]?|[/-]", key):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)
