"""The keys bound to a binding id now, as the footer shows them: what a message or the help names when it tells
the user which key to press (the `[keymap]` of config.toml may have changed the default)."""

from __future__ import annotations

from rich.markup import escape
from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import key_to_character

from quizapp.keymap import expand_keymap

__all__ = ["action_id", "action_key", "bold_keys", "first_key", "key_names", "key_range", "keys_of", "names_of", "typed_character"]

# Keys that type a character but that Textual does not map to one (it looks up Unicode names: "at" is not one).
_TYPED = {"at": "@", "minus": "-", "slash": "/", "plus": "+", "underscore": "_", "backslash": "\\"}


def keys_of(node: DOMNode, binding_id: str, owner: type | None = None) -> list[str]:
    """The keys of binding `binding_id` of `owner` (by default `node`'s class: a screen, a widget or the app), the
    user's keymap applied."""
    services = getattr(node.app, "services", None)  # `quizapp drill --edit` runs an app of its own, without a keymap
    keymap = expand_keymap(services.settings.keymap) if services is not None else {}
    if binding_id in keymap:
        return [key.strip() for key in keymap[binding_id].split(",")]
    keys = [binding.key for cls in (owner or type(node)).__mro__
            for binding in Binding.make_bindings(vars(cls).get("BINDINGS", ())) if binding.id == binding_id]
    if not keys:
        raise KeyError(f"{(owner or type(node)).__name__} has no binding {binding_id!r}")
    return keys


def names_of(node: DOMNode, binding_id: str, owner: type | None = None) -> list[str]:
    """The keys of a binding (see `keys_of`) as the footer names them: "^z", "f5", "esc" (Enter in words)."""
    return [_name(node, key) for key in keys_of(node, binding_id, owner)]


def key_names(node: DOMNode, binding_id: str, owner: type | None = None) -> str:
    """`names_of` for a sentence that says what to press: several keys are joined with " or "."""
    return " or ".join(names_of(node, binding_id, owner))


def first_key(node: DOMNode, binding_id: str, owner: type | None = None) -> str:
    """The first key of a binding, as `names_of` names it: for a button's label, "Reset (y)"."""
    return names_of(node, binding_id, owner)[0]


def bold_keys(node: DOMNode, binding_id: str) -> str:
    """`key_names` in bold, as markup (a key such as "[" is escaped), for a line written in markup."""
    return f"[b]{escape(key_names(node, binding_id))}[/]"


def key_range(node: DOMNode, binding_ids: list[str]) -> str:
    """The first key of each binding: "1-4" when they are the digits in a row (0 after 9, as on the keyboard:
    "1-9, 0"), else "a/s/d/f"."""
    names = [keys_of(node, binding_id)[0] for binding_id in binding_ids]
    if all(len(name) == 1 and name.isdigit() for name in names) and len(names) > 2:
        first = int(names[0])
        row = [str(n % 10) for n in range(first, first + len(names))]
        if names == row:
            return f"{names[0]}-{names[-1]}" if names[-1] != "0" else f"{names[0]}-9, 0"
    return "/".join(_name(node, key) for key in names)


def action_key(node: DOMNode, action: str) -> str:
    """The keys of `node`'s (its class's) binding that runs `action`, named as `key_names` does."""
    return key_names(node, action_id(node, action))


def action_id(node: DOMNode, action: str) -> str:
    """The id of `node`'s (its class's) binding that runs `action`."""
    for cls in type(node).__mro__:
        for binding in Binding.make_bindings(vars(cls).get("BINDINGS", ())):
            if binding.action == action and binding.id:
                return binding.id
    raise KeyError(f"{type(node).__name__} has no binding for {action!r}")


def _name(node: DOMNode, key: str) -> str:
    return "Enter" if key == "enter" else node.app.get_key_display(Binding(key, ""))


def typed_character(key: str) -> str | None:
    """The character a key types into a text box, if it types one ("at" -> "@", "ctrl+a" -> None)."""
    return _TYPED.get(key) or key_to_character(key)
