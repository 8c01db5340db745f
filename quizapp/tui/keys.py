"""The keys bound to a binding id now, as the footer shows them: what a message or the help names when it tells
the user which key to press (the `[keymap]` of config.toml may have changed the default)."""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import key_to_character

from quizapp.keymap import expand_keymap

__all__ = ["key_names", "keys_of", "typed_character"]

# Keys that type a character but that Textual does not map to one (it looks up Unicode names: "at" is not one).
_TYPED = {"at": "@", "minus": "-", "slash": "/", "plus": "+", "underscore": "_", "backslash": "\\"}


def keys_of(node: DOMNode, binding_id: str) -> list[str]:
    """The keys of `node`'s binding `binding_id` (node: a screen, a widget or the app), the user's keymap applied."""
    keymap = expand_keymap(getattr(node.app, "services").settings.keymap)
    if binding_id in keymap:
        return [key.strip() for key in keymap[binding_id].split(",")]
    keys = [binding.key for cls in type(node).__mro__ for binding in Binding.make_bindings(vars(cls).get("BINDINGS", ()))
            if binding.id == binding_id]
    if not keys:
        raise KeyError(f"{type(node).__name__} has no binding {binding_id!r}")
    return keys


def key_names(node: DOMNode, binding_id: str, *, first: bool = False) -> str:
    """The keys of binding `binding_id` as the footer names them ("^z", "f5"); several are joined with " or "."""
    keys = keys_of(node, binding_id)
    return " or ".join(node.app.get_key_display(Binding(key, "")) for key in (keys[:1] if first else keys))


def typed_character(key: str) -> str | None:
    """The character a key types into a text box, if it types one ("at" -> "@", "ctrl+a" -> None)."""
    return _TYPED.get(key) or key_to_character(key)
