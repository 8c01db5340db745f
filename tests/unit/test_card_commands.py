"""Suspend, bury, flag and reset from the review session, plain mode and `quizapp card`; leeches; card info."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.plain import PlainIO, run_plain_review
from quizapp.study.clock import SystemClock, from_ms
from quizapp.study.review import ReviewSession
from quizapp.study.store import CardMarks, Store
from tests.study_helpers import FIXTURE_DECK, fixed_clock, fixture_deck, settings


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data") as store:
        yield store


def run(capsys, data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--no-builtin", "--content", str(FIXTURE_DECK), "--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_suspend_and_bury_take_the_card_out_and_undo_brings_it_back(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock)
    first = session.current.key
    assert session.suspend() == first and session.current.key != first
    second = session.current.key
    session.bury()
    assert session.current.key not in {first, second}
    assert store.marks_of(first) == CardMarks(suspended=True)
    assert store.marks_of(second).buried(int(clock.now().timestamp() * 1000))
    later = ReviewSession(fixture_deck(), store, settings(), clock)
    assert {first, second}.isdisjoint(item.key for item in later._queue)
    session.undo()
    assert session.current.key == second and store.marks_of(second) == CardMarks()
    session.undo()
    assert session.current.key == first and store.marks() == {}


def test_a_buried_card_comes_back_the_next_study_day(store) -> None:
    clock = fixed_clock()
    session = ReviewSession(fixture_deck(), store, settings(), clock)
    buried = session.bury()
    clock.advance(days=1)
    assert ReviewSession(fixture_deck(), store, settings(), clock).current.key == buried


def test_flag_toggles_and_is_undoable(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock())
    assert session.flag(1) == 1 and session.marks().flag == 1
    assert session.flag(3) == 3 and session.flag(3) == 0 and session.marks().flag == 0
    session.undo()
    assert session.marks().flag == 3


def lapse_until_leech(session: ReviewSession, clock, key: str) -> list:
    """Rate `key` Good until it is in review, then Again at every due time until it is a leech; the records."""
    records = []
    for _ in range(60):
        question = session.current
        assert question is not None and question.key == key
        state = session.store.card(key)
        records.append(session.rate(Rating.Again if state is not None and state.state == 2 else Rating.Good))
        if records[-1].leech:
            return records
        clock.moment = max(clock.now() + timedelta(seconds=1), from_ms(session.store.card(key).due_ms))
        session = ReviewSession(session.deck, session.store, session.settings, clock, topics=["second"])
    raise AssertionError("never became a leech")


def test_a_card_becomes_a_leech_at_the_threshold_and_is_suspended(store) -> None:
    clock = fixed_clock()
    chosen = settings(leech_threshold=3, new_per_day=1)
    session = ReviewSession(fixture_deck(), store, chosen, clock, topics=["second"])
    key = session.current.key
    records = lapse_until_leech(session, clock, key)
    assert store.lapses(key) == 3 and records[-1].suspended
    assert store.marks_of(key) == CardMarks(suspended=True, leech=True)
    later = ReviewSession(fixture_deck(), store, chosen, clock, topics=["second"])
    assert key not in {item.key for item in later._queue}
    assert [e.event for e in store.events(key)] == ["leech", "suspend"]


def test_leech_action_tag_only_marks_it(store) -> None:
    clock = fixed_clock()
    chosen = settings(leech_threshold=2, leech_action="tag", new_per_day=1)
    session = ReviewSession(fixture_deck(), store, chosen, clock, topics=["second"])
    key = session.current.key
    records = lapse_until_leech(session, clock, key)
    assert not records[-1].suspended and store.marks_of(key) == CardMarks(leech=True)


def plain_review(store, script: str) -> tuple[str, str, ReviewSession]:
    """A plain review of the fixture deck fed `script`: the first card's key, the output, the session."""
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock())
    first = session.current.key
    out = io.StringIO()
    run_plain_review(session, PlainIO(io.StringIO(script), out))
    return first, out.getvalue(), session


def test_plain_mode_suspends_and_buries_with_colon_commands(store) -> None:
    first, text, _ = plain_review(store, ":s\n:b\n:q\n")
    assert f"suspended: {first}" in text and "buried: " in text
    assert store.marks_of(first).suspended and len(store.marks()) == 2


def test_plain_review_undoes_several_steps_with_colon_u(store) -> None:
    # Rate the first card Good, bury the second, then undo both: the first card is asked again.
    first, text, session = plain_review(store, "\n3\n:b\n:u\n:u\n:u\n:q\n")
    second = text.split("buried: ")[1].split()[0]
    assert f"undid the bury of {second}" in text and f"undid the review of {first}" in text
    assert "nothing to undo in this session" in text
    assert store.log() == [] and store.marks() == {} and session.current.key == first


def test_plain_review_undoes_the_last_rating_once_nothing_is_left(store) -> None:
    """The rating that emptied the queue ended the session at once, so :u could not take it back (the app's
    "all done" screen can): the end now waits for :u or Enter."""
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), only=["mini/flash"])
    out = io.StringIO()
    run_plain_review(session, PlainIO(io.StringIO("\n1\n:u\n\n4\n:s\nyes\n\n"), out))
    text = out.getvalue()
    assert text.count("All done for now: :u undoes the last step, Enter finishes") == 4
    assert "undid the review of mini/flash" in text and "no card is left to suspend" in text
    assert text.count("--- mini/flash") == 2 and text.rstrip().endswith("Nothing more is due now; 1 review recorded.")
    assert [row.rating for row in store.log()] == [4] and store.marks() == {}
    # the end of input at that prompt finishes as Enter does
    again = io.StringIO()
    run_plain_review(ReviewSession(fixture_deck(), store, settings(), fixed_clock(), only=["mini/blanks#c1"]),
                     PlainIO(io.StringIO("\n4\n"), again))
    assert again.getvalue().rstrip().endswith("Nothing more is due now; 1 review recorded.")


def test_plain_review_header_shows_the_cards_flags(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock())
    session.flag(2)
    out = io.StringIO()
    run_plain_review(session, PlainIO(io.StringIO(":q\n"), out))
    assert f"--- {session.current.key} [flag: orange]" in out.getvalue()


def test_card_cli_suspends_flags_resets_and_reports_what_changed(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, _ = run(capsys, data, "card", "suspend", "mini/flash", "mini/blanks")
    assert code == 0 and out.splitlines() == [
        "suspended: mini/flash", "suspended: mini/blanks#c1", "suspended: mini/blanks#c2"]
    code, out, _ = run(capsys, data, "card", "suspend", "mini/flash")
    assert "unchanged (were already so): mini/flash" in out
    code, out, _ = run(capsys, data, "card", "flag", "blue", "second/one")
    assert out.strip() == "flagged blue: second/one"
    code, out, _ = run(capsys, data, "card", "reset", "second/one")
    assert "had no schedule to forget" in out
    with Store.open(data) as store:
        assert store.marks()["second/one"].flag == 4 and store.marks()["mini/blanks#c2"].suspended


def test_unbury_says_unburied_and_a_review_of_only_shelved_cards_says_why_it_is_empty(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    run(capsys, data, "card", "suspend", "second/one")
    run(capsys, data, "card", "bury", "second/two")
    code, out, _ = run(capsys, data, "card", "unbury", "second/two")
    assert out.strip() == "unburied: second/two"  # it said "unburyed"
    run(capsys, data, "card", "bury", "second/two")

    code, out, err = run(capsys, data, "review", "--plain", "--filter", "topic:second")
    assert code == 2 and "Nothing more is due" not in out
    assert ("the search 'topic:second' finds 2 cards, all suspended or buried, and a review leaves those out; "
            "`quizapp card unsuspend --filter topic:second` (or unbury) brings them back") in err
    code, _, err = run(capsys, data, "review", "--plain", "--filter", "key:second/one")
    assert "finds its only card, which is suspended or buried" in err


def test_card_unbury_brings_back_a_sibling_set_aside_today(capsys, tmp_path: Path) -> None:
    """`quizapp card unbury` said "unchanged (were already so)" of a deletion set aside because its sibling was
    answered today, and left it out of today's review."""
    data = tmp_path / "data"
    with Store.open(data) as store:
        ReviewSession(fixture_deck(), store, settings(), SystemClock(), only=["mini/blanks#c1"]).rate(Rating.Good)
    code, out, _ = run(capsys, data, "card", "info", "mini/blanks#c2")
    assert "set aside until tomorrow (sibling of mini/blanks#c1)" in out
    code, out, _ = run(capsys, data, "card", "unbury", "--filter", "is:buried")
    assert code == 0 and out.strip() == "unburied: mini/blanks#c2"
    code, out, _ = run(capsys, data, "card", "info", "mini/blanks#c2")
    assert "set aside" not in out
    code, out, _ = run(capsys, data, "card", "unbury", "mini/blanks#c2")
    assert out.strip() == "unchanged (were already so): mini/blanks#c2"


def test_card_cli_refuses_unknown_keys_and_colours(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path / "d", "card", "bury", "mini/nope", "elsewhere/x")
    assert code != 0 and "no card 'nope' in topic 'mini'" in err and "no topic 'elsewhere'" in err
    # It named `quizapp browse`, which is no command, and `quizapp card info`, which lists nothing without keys.
    assert "`quizapp card info --filter topic:mini` (or browse, b in the app) lists its cards" in err
    assert "quizapp browse" not in err and "did you mean" not in err  # nothing reads like 'nope'
    code, _, err = run(capsys, tmp_path / "d", "card", "info", "mini/pick-on")
    assert code != 0 and "no card 'pick-on' in topic 'mini' (did you mean 'pick-one' or 'pick-many'?); " in err
    with pytest.raises(SystemExit):
        run(capsys, tmp_path / "d", "card", "flag", "purple", "mini/flash")
    assert "not a flag colour: 'purple'" in capsys.readouterr().err
    assert not (tmp_path / "d" / "quizapp.db").exists() or Store.open(tmp_path / "d").marks() == {}


def test_card_info_shows_schedule_marks_and_history(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Store.open(data) as store:
        session = ReviewSession(fixture_deck(), store, settings(), fixed_clock())
        key = session.current.key
        session.rate(Rating.Good)
    run(capsys, data, "card", "flag", "red", key)
    code, out, _ = run(capsys, data, "card", "info", key)
    assert code == 0 and out.startswith(key) and "mini.yaml:" in out
    assert "state       learning" in out and "marks       flag: red" in out
    assert re.search(r"2026-03-02 09:00 +review +Good", out) and re.search(r"\d\d:\d\d +flag red", out)
    code, out, _ = run(capsys, data, "card", "info", key, "--json")
    (info,) = json.loads(out)
    assert info["state"] == "learning" and info["flag"] == "red" and info["reps"] == 1
    assert [r["rating"] for r in info["reviews"]] == [3] and info["events"][0]["event"] == "flag"


def test_card_cli_takes_a_filter_as_well_as_keys(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    code, out, _ = run(capsys, data, "card", "suspend", "--filter", "topic:second")
    assert code == 0 and out.splitlines() == ["suspended: second/one", "suspended: second/two"]
    code, out, _ = run(capsys, data, "card", "flag", "green", "mini/flash", "--filter", "is:suspended")
    assert out.splitlines() == ["flagged green: mini/flash", "flagged green: second/one", "flagged green: second/two"]
    code, out, _ = run(capsys, data, "card", "info", "--filter", "flag:green is:suspended", "--json")
    assert [info["key"] for info in json.loads(out)] == ["second/one", "second/two"]
    code, _, err = run(capsys, data, "card", "bury", "--filter", "is:nonsense")
    assert code != 0 and "is:nonsense" in err and "column" in err
    code, _, err = run(capsys, data, "card", "bury")
    assert code != 0 and "name the cards" in err


def test_a_leech_after_8_lapses_with_the_default_settings_is_listed_in_stats(capsys, tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = fixed_clock()
    chosen = settings(new_per_day=1)
    assert chosen.leech_threshold == 8 and chosen.leech_action == "suspend"
    with Store.open(data) as store:
        session = ReviewSession(fixture_deck(), store, chosen, clock, topics=["second"])
        key = session.current.key
        records = lapse_until_leech(session, clock, key)
        assert store.lapses(key) == 8 and records[-1].suspended
        assert sum(record.leech for record in records) == 1  # warned once, at the threshold
    code, out, _ = run(capsys, data, "stats", "--json")
    assert json.loads(out)["leeches"] == [key]
    code, out, _ = run(capsys, data, "stats")
    assert "Leeches (1: forgotten again and again" in out and f"  {key}" in out



def test_plain_review_of_a_search_says_when_done_how_many_found_are_suspended_or_buried(store) -> None:
    session = ReviewSession(fixture_deck(), store, settings(), fixed_clock(), only={"second/one", "second/two"})
    shelved = session.suspend()
    out = io.StringIO()
    run_plain_review(session, PlainIO(io.StringIO("\n3\n"), out))  # the other card: show, Good
    text = out.getvalue()
    assert "Nothing more is due now; 1 review recorded." in text
    assert text.rstrip().endswith("1 of the cards found is suspended or buried, and a review leaves those out.")
    assert store.marks_of(shelved).suspended
