"""Textual's footer, made to fit its line: where every key will not fit, the keys of the actions named in `drop` are
left out, the first named first, so that the last keys (help, quit) are never cut off at the right edge.

A key left out of the footer still works; the help screen and the command palette list it.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported by textual.widgets

__all__ = ["FittingFooter"]


class FittingFooter(Footer):
    def __init__(self, *, drop: tuple[str, ...], **kwargs) -> None:
        super().__init__(**kwargs)
        self.drop = drop
        self._width = 0

    def compose(self) -> ComposeResult:
        self._width = self.size.width or self.app.size.width
        keys = list(super().compose())
        for action in self.drop:
            if sum(map(_cells, keys)) <= self._width:
                break
            keys = [key for key in keys if getattr(key, "action", None) != action]
        yield from keys

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.call_after_refresh(self.recompose)


def _cells(key) -> int:
    """The cells a key takes in Textual's footer style: a cell either side of the key, one after its description
    (the command palette's key, docked right, too)."""
    if not isinstance(key, FooterKey):
        return 0
    return cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)
