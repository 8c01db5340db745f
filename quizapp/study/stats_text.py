"""Statistics as plain text, for `quizapp stats` and the plain front end."""

from __future__ import annotations

from quizapp.study.stats import Stats

__all__ = ["stats_text"]


def _percent(passed: int, total: int) -> str:
    return f"{100 * passed / total:.0f}% of {total}" if total else "no data"


def stats_text(stats: Stats) -> str:
    lines = [
        f"Today ({stats.today}): {stats.reviews_today} reviewed, {stats.due_now} due, "
        f"{stats.new_available} new available; streak {stats.streak} day{'s' * (stats.streak != 1)}",
        "",
        "Cards: " + ", ".join(f"{name} {count}" for name, count in stats.cards_by_state.items()),
        "True retention (30 days): "
        + ", ".join(f"{kind} {_percent(*counts)}" for kind, counts in stats.retention.items()),
        "Due in the next 7 days: " + " ".join(str(n) for n in stats.forecast[:7])
        + f" (30 days: {sum(stats.forecast)})",
        "",
        "Accuracy by topic:",
    ]
    if stats.topic_accuracy:
        width = max(len(topic) for topic in stats.topic_accuracy)
        for topic, (passed, total) in sorted(stats.topic_accuracy.items()):
            lines.append(f"  {topic.ljust(width)}  {_percent(passed, total)}")
    else:
        lines.append("  no reviews yet")
    if stats.orphaned:
        lines += ["", f"Orphaned ({len(stats.orphaned)}: history kept, card no longer in the content):"]
        lines += [f"  {key}" for key in stats.orphaned[:20]]
        if len(stats.orphaned) > 20:
            lines.append(f"  ... and {len(stats.orphaned) - 20} more")
    return "\n".join(lines)
