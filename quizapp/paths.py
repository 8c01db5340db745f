"""Where quizapp finds content and keeps its data. Nothing here touches the disk on import."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "APP_NAME",
    "ContentLocations",
    "builtin_content_dir",
    "config_file",
    "resolve_data_dir",
    "user_content_dir",
]

APP_NAME = "quizapp"
_PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_content_dir() -> Path | None:
    """The built-in deck: live from the repository in a source checkout, else the copy inside the wheel."""
    repository = _PACKAGE_DIR.parent
    if (repository / "pyproject.toml").is_file() and (repository / "content").is_dir():
        return repository / "content"
    packaged = _PACKAGE_DIR / "_content"
    return packaged if packaged.is_dir() else None


def resolve_data_dir(option: str | Path | None, env: Mapping[str, str] = os.environ) -> Path:
    """--data-dir, else $QUIZAPP_DATA_DIR, else the platform's user data dir."""
    if option:
        return Path(option).expanduser()
    if env.get("QUIZAPP_DATA_DIR"):
        return Path(env["QUIZAPP_DATA_DIR"]).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def user_content_dir(data_dir: Path) -> Path:
    return data_dir / "content"


def config_file(env: Mapping[str, str] = os.environ) -> Path:
    """$QUIZAPP_CONFIG, else config.toml in the platform's user config dir."""
    if env.get("QUIZAPP_CONFIG"):
        return Path(env["QUIZAPP_CONFIG"]).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass(frozen=True)
class ContentLocations:
    """Every folder content is read from, in load order; the built-in deck first."""

    builtin: Path | None
    user: Path
    extra: tuple[Path, ...]

    @classmethod
    def resolve(
        cls,
        data_dir: Path,
        content_options: Sequence[str | Path] = (),
        *,
        include_builtin: bool = True,
        env: Mapping[str, str] = os.environ,
    ) -> ContentLocations:
        from_env = [Path(p).expanduser() for p in env.get("QUIZAPP_CONTENT", "").split(os.pathsep) if p]
        extra = [Path(p).expanduser() for p in content_options] + from_env
        return cls(
            builtin=builtin_content_dir() if include_builtin else None,
            user=user_content_dir(data_dir),
            extra=tuple(dict.fromkeys(extra)),
        )

    def paths(self) -> list[Path]:
        """Existing locations to load; a missing user folder is normal, a missing --content one is not."""
        found = [self.builtin] if self.builtin else []
        if self.user.is_dir():
            found.append(self.user)
        found.extend(self.extra)
        return found
