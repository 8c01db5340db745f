"""Remapping keys from config.toml: a `[keymap]` table of binding id (or bare name) -> keys.

```toml
[keymap]
bury = "b"                      # a bare name: every binding called bury (review.bury, browse.bury)
"review.suspend" = "ctrl+s"     # one binding
"review.flag-red" = "ctrl+1,f9" # several keys, comma-separated
```

The ids are listed here (not read from the screens) so that settings are checked without importing Textual;
a test keeps this list equal to the ids the app's bindings really have. Keys are checked for form only:
modifiers joined by `+` to one key, which is a character or a key name (`f5`, `pageup`, `question_mark`).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["BINDING_IDS", "expand_keymap", "keymap_problems"]

BINDING_IDS = (
    "app.quit", "app.help",
    "home.review", "home.quiz", "home.browse", "home.stats", "home.errors", "home.help", "home.topic-up",
    "home.topic-down", "home.topic-page-up", "home.topic-page-down", "home.topic-first", "home.topic-last",
    "home.topic-review",
    *(f"{screen}.{name}" for screen in ("review", "quiz") for name in (
        "reveal", "show-answer", "submit", *(f"key{n}" for n in range(1, 11)), "page-down", "page-up",
        "half-down", "half-up", "line-down", "line-up")),
    "review.undo", "review.undo-u", "review.ahead", "review.more-new", "review.home", "review.bury", "review.suspend",
    "review.flag-red", "review.flag-orange", "review.flag-green", "review.flag-blue", "review.info",
    "review.edit",
    "quiz.knew", "quiz.missed", "quiz.finish",
    "quiz-setup.start", "quiz-setup.home", "quiz-results.retry", "quiz-results.home",
    "browse.search", "browse.study", "browse.home", "browse.select", "browse.select-all", "browse.sort", "browse.reverse",
    "browse.suspend", "browse.bury", "browse.reset", "browse.flag-red", "browse.flag-orange", "browse.flag-green",
    "browse.flag-blue", "browse.info", "browse.edit", "browse.undo", "browse.leave-search", "browse.down", "browse.up",
    "glossary.leave-search", "glossary.down", "glossary.up",
    "card-info.close", "card-info.edit", "confirm.yes", "confirm.no",
    "stats.home", "errors.home", "help.close",
    "drill.close", "drill.run", "drill.run_key", "drill.editor", "drill.solution", "drill.hint", "drill.edit",
    "heatmap.week-before", "heatmap.week-after", "heatmap.day-before", "heatmap.day-after", "heatmap.first",
    "heatmap.today",
    "glossary.search", "glossary.home", "home.glossary", "home.interview", "interview.reveal",
    "interview.show-answer", "interview.submit", "interview.key1", "interview.key2", "interview.key3",
    "interview.key4", "interview.key5", "interview.key6", "interview.key7", "interview.key8", "interview.key9", "interview.key10",
    "interview.page-down", "interview.page-up", "interview.half-down", "interview.half-up", "interview.line-down",
    "interview.line-up", "interview.knew", "interview.missed", "interview.record-points", "interview.finish",
    "interview-report.revisit", "interview-report.home", "interview-setup.start", "interview-setup.home",
    "quiz.record-points", "key-points.toggle", "key-points.down", "key-points.up",
    "answer.check", "more-new.decline",
)

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset({
    "escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown",
    "up", "down", "left", "right", "slash", "backslash", "at", "minus", "plus", "underscore",
    *(f"f{n}" for n in range(1, 25)),
})
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _is_key(key: str) -> bool:
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    if any(modifier not in _MODIFIERS for modifier in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace() and base != ","
    if base in _NAMED_KEYS:
        return True
    if not _NAME.match(base):
        return False
    try:  # a character by its Unicode name, as Textual names them: question_mark, exclamation_mark
        return len(unicodedata.lookup(base.replace("_", " "))) == 1
    except KeyError:
        return False


def _ids_named(name: str, ids: Iterable[str]) -> list[str]:
    return [binding for binding in ids if binding == name or binding.rpartition(".")[2] == name]


def keymap_problems(keymap: Mapping[str, object], ids: Iterable[str] = BINDING_IDS) -> list[str]:
    """What is wrong with a `[keymap]` table, one message per entry (empty: nothing)."""
    ids = tuple(ids)
    problems = []
    for name, keys in keymap.items():
        if not _ids_named(name, ids):
            close = difflib.get_close_matches(name, ids, n=1, cutoff=0.7)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"{name!r} is not a binding id{hint}; the ids are {', '.join(ids)} (or a bare name after "
                            "the dot, like bury, for every screen's binding of that name)")
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(f"{name}: write the keys as a text, like \"ctrl+s\" or \"b,f9\"")
        else:
            wrong = [key for key in (part.strip() for part in keys.split(",")) if not _is_key(key)]
            if wrong:
                problems.append(f"{name}: {', '.join(repr(key) for key in wrong)} is not a key; write a character "
                                "or a key name (f5, pageup, question_mark), with modifiers like ctrl+ or alt+")
    return problems


def expand_keymap(keymap: Mapping[str, str], ids: Iterable[str] = BINDING_IDS) -> dict[str, str]:
    """The keymap by full binding id: a bare name applies to every binding of that name; a full id wins."""
    ids = tuple(ids)
    expanded: dict[str, str] = {}
    for name, keys in sorted(keymap.items(), key=lambda entry: entry[0] in ids):  # full ids last: they win
        for binding in _ids_named(name, ids):
            expanded[binding] = keys
    return expanded

