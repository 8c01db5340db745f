"""Loading and validating content, against PyYAML's C loader reading the same files.

Cold: `quizapp.deck.load_deck` from scratch (read, parse with positions, validate every card) versus
`yaml.load(..., Loader=yaml.CSafeLoader)` on each file, which only parses. Warm: the same load through the
content cache (keyed on each file's size, mtime and bytes) once it has been filled, as at a second start.
"""

from __future__ import annotations

import yaml

from benchmarks.harness import Config, Result, interleaved, median
from benchmarks.synthetic import write_deck

__all__ = ["run"]

COLD_LIMIT = 2.0
WARM_LIMIT = 0.25


def run(config: Config) -> list[Result]:
    import solvers
    from quizapp.deck import load_deck

    files, per_file = (100, 100) if not config.quick else (10, 10)
    folder = config.workdir / "load-deck"
    paths = write_deck(folder, files, per_file, seed=2, solvers=sorted(solvers.registry()))
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        raise RuntimeError("PyYAML was built without libyaml: the C loader this benchmark compares with is missing")

    def peer() -> None:
        for path in paths:
            yaml.load(path.read_bytes().decode("utf-8"), Loader=loader)

    def checked(deck) -> None:
        if deck.errors or deck.card_count != files * per_file:
            raise RuntimeError(f"synthetic deck did not load cleanly: {[str(e) for e in deck.errors[:3]]}")

    functions = {"yaml": peer, "cold": lambda: checked(load_deck([folder]))}
    cache = config.workdir / "content-cache"
    checked(load_deck([folder], cache=cache))  # fills the cache, as the first start does
    functions["warm"] = lambda: checked(load_deck([folder], cache=cache))
    functions["cold"]()  # imports (pydantic models, the solvers registry) are not part of a load
    samples = interleaved(functions, config.repeats)
    floor = median(samples["yaml"])
    cold = median(samples["cold"])
    size = f"{files * per_file:,} cards in {files} files"
    details = {"yaml_c_loader_ms": round(floor * 1000, 1), "cold_ms": round(cold * 1000, 1),
               "bytes": sum(p.stat().st_size for p in paths), "repeats": config.repeats}
    peer_text = f"yaml.load with CSafeLoader ({floor * 1000:.0f} ms); {size}"
    results = [Result("load.cold", cold * 1000, "ms", cold / floor, "<=", COLD_LIMIT, peer_text, details=details)]
    warm = median(samples["warm"])
    details["warm_ms"] = round(warm * 1000, 1)
    results.append(Result("load.warm_cache", warm * 1000, "ms", warm / floor, "<=", WARM_LIMIT,
                          peer_text + "; cache filled", details=details))
    return results
