"""Keys taking effect in the order they were typed, when they come faster than the app handles them.

A terminal read of many keys (a fast typist, keystrokes sent over ssh or by tmux) becomes a run of key events that
the app reads one after another, handing each on to the focused widget's own queue. By Textual's design (Textual
issue #6605, a fix proposed in its pull request #6631), a key the focused text widget binds (backspace, delete,
arrows, ctrl+w, ...) goes back up to the app before its action runs, while the characters typed behind it are
inserted at once: of 15 backspaces and a line of code sent to the drill editor, two ran last and deleted the "0)"
that ended the line. `run_own_binding` runs such a key's action as the widget reads it.

And a priority binding (ctrl+s shows an answer, ctrl+r runs a drill's checks) runs as soon as the app reads its
key, ahead of the keys still waiting in the focused widget's queue: an open answer was read with only its first
part typed, and the rest, reaching a box made read-only, went on up to the screen as its keys (an "r" among them
recorded a rating). `after_queued_keys` runs such an action behind them.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.dom import DOMNode
from textual.widget import Widget

__all__ = ["after_queued_keys", "run_own_binding"]


async def run_own_binding(widget: Widget, event: events.Key) -> bool:
    """Run `widget`'s own binding of `event`'s key now, as the app would once the key had bubbled up to it
    (priority bindings were checked before the key reached the widget). False if it binds no such key."""
    if event.is_printable:
        return False
    own = [binding for binding in widget._bindings.key_to_bindings.get(event.key, ()) if not binding.priority]
    if not own:
        return False
    event.stop()
    event.prevent_default()
    await widget.run_action(own[0].action)
    return True


def after_queued_keys(node: DOMNode, callback: Callable[[], object]) -> None:
    """Run `callback` once the focused widget has handled every key the app handed it before now (at once if
    nothing has focus: the keys went to the screen, which runs the binding's action itself)."""
    focused = node.app.focused
    if focused is None:
        callback()
    else:
        focused.call_later(callback)
