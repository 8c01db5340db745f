"""The factory shared by the CLI, the TUI and tests: settings, clock, content locations and the store."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.config import Settings, load_settings
from quizapp.deck.loader import load_deck
from quizapp.deck.model import Deck
from quizapp.paths import ContentLocations, config_file, resolve_data_dir
from quizapp.study.clock import Clock, SystemClock
from quizapp.study.store import Store

__all__ = ["AppContext"]


@dataclass
class AppContext:
    data_dir: Path
    locations: ContentLocations
    settings: Settings = field(default_factory=Settings)
    clock: Clock = field(default_factory=SystemClock)
    seed: int | None = None
    config_path: Path | None = None  # where settings the app changes (the theme) are saved; None: nowhere

    @classmethod
    def create(
        cls,
        *,
        data_dir: str | Path | None = None,
        content: Sequence[str | Path] = (),
        include_builtin: bool = True,
        clock: Clock | None = None,
        seed: int | None = None,
        settings: Settings | None = None,
        env: Mapping[str, str] = os.environ,
    ) -> AppContext:
        resolved = resolve_data_dir(data_dir, env)
        config_path = config_file(env)
        return cls(
            data_dir=resolved,
            locations=ContentLocations.resolve(resolved, content, include_builtin=include_builtin, env=env),
            settings=settings if settings is not None else load_settings(config_path, env),
            clock=clock or SystemClock(),
            seed=seed,
            config_path=config_path,
        )

    def load_deck(self) -> Deck:
        return load_deck(self.locations.paths(), cache=self.data_dir / "cache")

    def open_store(self, *, readonly: bool = False) -> Store:
        """The review store; `readonly` for commands that only read (they take no lock and write nothing)."""
        return Store.open(self.data_dir, readonly=readonly)
