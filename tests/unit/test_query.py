"""The search language: how queries read, what each term finds on the fixture deck, and the set algebra."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from quizapp.errors import UserError
from quizapp.study import query as query_module
from quizapp.study.clock import StudyDay, from_ms, to_ms
from quizapp.study.query import (And, Everything, Field, Not, Or, Prop, QueryError, Recent, Text, card_text,
                                 matching_keys, parse, select)
from quizapp.study.queue import build_queue
from quizapp.study.scheduling import Scheduling, card_id_for
from quizapp.study.store import NewEvent, NewReview, Store
from tests.study_helpers import FIXTURE_DECK, START, fixture_deck, settings

DAY = timedelta(days=1)
ALL = {"mini/flash", "mini/pick-one", "mini/pick-many", "mini/number", "mini/blanks#c1", "mini/blanks#c2",
       "mini/gen", "second/one", "second/two"}


# --- reading -----------------------------------------------------------------------------------------


def test_juxtaposition_is_and_and_or_binds_looser() -> None:
    assert parse("a b OR c") == Or((And((Text("a"), Text("b"))), Text("c")))
    assert parse("a (b OR c)") == And((Text("a"), Or((Text("b"), Text("c")))))
    assert parse("a OR b OR c") == Or((Text("a"), Text("b"), Text("c")))


def test_negation_binds_to_one_term_or_group() -> None:
    assert parse("-a b") == And((Not(Text("a")), Text("b")))
    assert parse("-(a OR b)") == Not(Or((Text("a"), Text("b"))))
    assert parse("--a") == Text("a") and parse("---a") == Not(Text("a"))
    assert parse("-" * 1_999 + "a") == Not(Text("a"))  # no recursion per '-'

    assert parse("mini-batch") == Text("mini-batch")  # a '-' inside a word is the word's


def test_quotes_and_fields() -> None:
    assert parse('"Batch   Size"') == Text("batch size")
    assert parse('topic:"deep learning"') == Field("topic", "deep learning")
    assert parse('"is:due"') == Text("is:due")  # quoted: text, not a field
    assert parse("3:4") == Text("3:4")  # a colon after something that is not a name
    assert parse("TOPIC:AUC") == Field("topic", "auc")
    assert parse("deck:auc") == parse("Deck:AUC") == Field("topic", "auc")  # Anki's word for a topic
    assert parse("flag:Red") == Field("flag", "1")
    assert parse("rated:7 failed:1") == And((Recent(7, failed=False), Recent(1, failed=True)))
    assert parse("prop:r<0.8") == Prop("r", "<", 0.8, 1)
    assert parse("prop:d>=7") == Prop("d", ">=", 7.0, 0)
    assert parse("prop:due!=-1") == Prop("due", "!=", -1.0, 0)
    assert parse("") == parse("   ") == Everything()
    assert parse("or") == Text("or")  # only OR in capitals joins


@pytest.mark.parametrize(("query", "column", "says"), [
    ("is:xyz", 1, "unknown is:xyz at column 1; use is:due, is:new"),
    ("tag:bn -is:xyz", 9, "unknown is:xyz at column 9"),
    ("type:flash", 1, "use type:flashcard, type:choice"),
    ("flag:5", 1, "flag:0 (none), flag:1 (red)"),
    ("rated:0", 1, "a number of days"),
    ("failed:x", 1, "a number of days"),
    ("rated:3:9", 1, "rated:3:9 at column 1: the answer after the days is 1 (Again), 2 (Hard), 3 (Good) or 4"),
    ("tag:bn rated:3:x", 8, "rated:3:x at column 8: the answer after the days is 1 (Again)"),
    ("rated:3:", 1, "the answer after the days is 1 (Again)"),
    ("rated:x:1", 1, "rated:x:1 at column 1: give a number of days from 1 (today) up"),
    ("introduced:-1", 1, "introduced:-1 at column 1: give a number of days from 1 (today) up, as in introduced:1"),
    ("introduced:abc", 1, "introduced:abc at column 1: give a number of days"),
    ("introduced:0", 1, "give a number of days"),
    ("introduced:", 1, "introduced: needs a value, as in introduced:7"),
    ("prop:x>1", 1, "prop:r<0.8 (retrievability)"),
    ("prop:r<1.5", 1, "prop:r compares with a number from 0 to 1"),
    ("prop:due<1.5", 1, "a whole number of days"),
    ("prop:r", 1, "cannot read prop:r"),
    ("prop:ivl<x", 1, "cannot read prop:ivl<x at column 1; use prop:r<0.8 (retrievability)"),
    ("tag:bn prop:ivl<x", 8, "prop:ivl>=10 (interval, days), prop:reps<10 (reviews) or prop:lapses>3"),
    ("prop:ivl>1.5", 1, "prop:ivl compares with a whole number of days from 0 to 36,500, not 1.5"),
    ("prop:reps<-1", 1, "prop:reps compares with a whole number from 0 to 1,000,000, not -1"),
    ("prop:lapses=0.5", 1, "prop:lapses compares with a whole number"),
    ("prop:lapses", 1, "cannot read prop:lapses"),
    ("foo:bar", 1, 'unknown search field foo: at column 1; use topic:, tag:'),
    ("topic:", 1, "topic: needs a value, as in topic:auc"),
    ('a "batch size', 3, "closing quote"),
    ('""', 1, "an empty phrase"),
    ("(a OR b", 1, "a '(' without its ')'"),
    ("a b)", 4, "a ')' without its '('"),
    (")", 1, "a ')' without its '('"),
    ("()", 1, "a '(' holds at least one term"),
    ("a OR", 5, "OR needs a term on each side"),
    ("OR a", 1, "OR needs a term on each side"),
    ("a OR OR b", 6, "OR needs a term on each side"),
    ("(a OR)", 6, "OR needs a term on each side"),
    ("a - b", 3, "a '-' must be followed"),
    ("a -", 3, "a '-' must be followed"),
    ("-)", 1, "a '-' must be followed"),
    ("(" * 60 + "a" + ")" * 60, 51, "nest at most 50"),
])
def test_a_bad_query_says_what_and_where(query: str, column: int, says: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    error = caught.value
    assert isinstance(error, UserError)
    assert error.column == column and says in str(error)
    problem, shown, caret = str(error).split("\n")
    assert shown == f"  {query}" and caret == "  " + " " * (column - 1) + "^"


def test_a_very_long_query_is_refused() -> None:
    with pytest.raises(QueryError, match="at most 2000 characters"):
        parse("a " * 1_500)


# --- evaluating --------------------------------------------------------------------------------------


@pytest.fixture
def deck():
    return fixture_deck()


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "data") as store:
        yield store


def _review(store: Store, scheduling: Scheduling, key: str, rating: Rating, when, mode: str = "review") -> None:
    def schedule(before):
        return scheduling.review(key, key.split("/")[0], before, rating, when, None)

    store.record(NewReview(key, card_id_for(key), int(rating), to_ms(when), 4000, mode),
                 schedule if mode == "review" else None)


@pytest.fixture
def history(store):
    """flash: reviewed 30 days ago (Good, then Good 3 days later), so it is a review card due some day;
    pick-one: learned today with Again (learning); number: failed 3 days ago; second/one: a quiz answer
    only; plus marks: pick-many suspended, blanks#c2 buried today, second/two flagged red and a leech."""
    scheduling = Scheduling(settings())
    _review(store, scheduling, "mini/flash", Rating.Good, START - 30 * DAY)
    _review(store, scheduling, "mini/flash", Rating.Good, START - 27 * DAY)
    _review(store, scheduling, "mini/number", Rating.Good, START - 10 * DAY)
    _review(store, scheduling, "mini/number", Rating.Good, START - 10 * DAY + timedelta(minutes=15))
    _review(store, scheduling, "mini/number", Rating.Again, START - 3 * DAY)
    _review(store, scheduling, "mini/pick-one", Rating.Again, START - timedelta(hours=1))
    _review(store, scheduling, "second/one", Rating.Again, START - timedelta(hours=1), mode="quiz")
    now = to_ms(START)
    store.apply([NewEvent("mini/pick-many", "suspend", now), NewEvent("mini/blanks#c2", "bury", now, now + 86_400_000),
                 NewEvent("second/two", "flag", now, 1), NewEvent("second/two", "leech", now)])
    return store


def find(query: str, deck, store, *, day: bool = True) -> set[str]:
    scheduling = Scheduling(settings())
    study_day = StudyDay.containing(START, from_ms(0).tzinfo, settings().day_starts_at) if day else None
    return matching_keys(query, deck, store, scheduling, START, day=study_day)


def test_free_text_is_searched_in_card_text_never_in_field_names(deck, history) -> None:
    assert find("correct", deck, history) == set()  # every choice option has a `correct:` field
    assert find("explanation", deck, history) == set()
    assert find("ROC-AUC", deck, history) == {"mini/pick-one"}  # an option's text
    assert find("majority", deck, history) == {"mini/pick-one"}  # an option's feedback
    assert find("mini-batch", deck, history) == {"mini/flash", "mini/blanks#c1", "mini/blanks#c2"}
    assert find("c1", deck, history) == set()  # a cloze card's markup is not its text
    assert find('"over the mini-batch"', deck, history) == {"mini/blanks#c1", "mini/blanks#c2"}
    assert find("normali*es", deck, history) == {"mini/blanks#c1", "mini/blanks#c2"}  # normalizes, not normalised
    assert find("pick", deck, history) == set()  # ids are not text: key:*pick* finds them
    assert find('"class ratio?"', deck, history) == {"mini/pick-one"}
    assert find('"ratio? roc-auc"', deck, history) == set()  # a phrase is found within one field only
    assert find('ratio? roc-auc', deck, history) == {"mini/pick-one"}


def test_card_text_holds_what_the_card_says(deck) -> None:
    text = card_text(deck.card("mini/blanks").card)
    assert "BN normalizes each feature over the mini-batch." in text and "{{" not in text


def test_topic_tag_type_and_key(deck, history) -> None:
    assert find("topic:second", deck, history) == {"second/one", "second/two"}
    assert find("topic:sec*", deck, history) == {"second/one", "second/two"}
    assert find("topic:sec", deck, history) == set()  # a topic is matched whole; use *
    assert find("tag:BN", deck, history) == {"mini/flash"}
    assert find("tag:none", deck, history) == find("tag:NONE", deck, history) == ALL - {"mini/flash"}
    assert find("-tag:none", deck, history) == find("tag:*", deck, history) == {"mini/flash"}
    assert find("type:cloze", deck, history) == {"mini/blanks#c1", "mini/blanks#c2"}
    assert find("key:mini/blanks", deck, history) == {"mini/blanks#c1", "mini/blanks#c2"}
    assert find("key:mini/blanks#c2", deck, history) == {"mini/blanks#c2"}
    assert find("key:*/pick-*", deck, history) == {"mini/pick-one", "mini/pick-many"}


def test_states_and_marks(deck, history) -> None:
    assert find("is:new", deck, history) == ALL - {"mini/flash", "mini/number", "mini/pick-one"}
    assert history.card("mini/number").state == 3  # relearning: a lapse 3 days ago
    assert find("is:learn", deck, history) == {"mini/pick-one", "mini/number"}
    assert find("is:review", deck, history) == {"mini/flash", "mini/number"}
    assert find("is:suspended", deck, history) == {"mini/pick-many"}
    assert find("is:buried", deck, history) == {"mini/blanks#c2"}
    assert find("is:leech", deck, history) == {"second/two"}
    assert find("is:flagged", deck, history) == find("flag:1", deck, history) == find("flag:red", deck, history)
    assert find("flag:1", deck, history) == {"second/two"}
    assert find("flag:2", deck, history) == set()
    assert find("flag:0", deck, history) == ALL - {"second/two"}


def test_is_due_means_due_today_and_not_hidden(deck, history) -> None:
    due = find("is:due", deck, history)
    day_end = StudyDay.containing(START, from_ms(0).tzinfo, settings().day_starts_at).end
    for key in ALL:
        row = history.card(key)
        assert (key in due) == (row is not None and row.due_ms < to_ms(day_end)), key
    assert due == {"mini/pick-one", "mini/number", "mini/flash"}  # learning, relearning, overdue
    history.apply([NewEvent("mini/pick-one", "suspend", to_ms(START))])
    assert "mini/pick-one" not in find("is:due", deck, history)


def test_siblings_of_a_card_answered_today_are_buried_not_due_as_the_queue_has_them(deck, store) -> None:
    # Answering one cloze deletion buries the others for the day: home and review leave them out, and so must
    # is:due (a due count that did not match the home screen's), while is:buried finds them.
    burying = settings(bury_review_siblings=True, bury_new_siblings=True)
    scheduling = Scheduling(burying)
    day = StudyDay.containing(START, from_ms(0).tzinfo, burying.day_starts_at)
    for key in ("mini/blanks#c1", "mini/blanks#c2"):  # both review cards, both due today
        _review(store, scheduling, key, Rating.Easy, START - 30 * DAY)  # Easy: a review card at once
    _review(store, scheduling, "mini/flash", Rating.Good, START - timedelta(hours=1))  # a new card, answered today

    def found(query: str, chosen=burying) -> set[str]:
        return matching_keys(query, deck, store, scheduling, START, day=day, settings=chosen)

    assert {"mini/blanks#c1", "mini/blanks#c2"} <= found("is:due")
    _review(store, scheduling, "mini/blanks#c1", Rating.Good, START - timedelta(minutes=5))
    queue = build_queue(deck, store, burying, START, day)
    shown = {item.key for item in queue.review} | {item.key for _, item in queue.learning}
    assert found("is:due") == shown and "mini/blanks#c2" not in shown
    assert found("is:buried") == {"mini/blanks#c2"}
    assert found("is:due", settings()) >= {"mini/blanks#c2"}  # without sibling burying it stays due


def test_a_new_sibling_of_a_card_learned_today_is_buried(deck, store) -> None:
    burying = settings(bury_new_siblings=True)
    scheduling = Scheduling(burying)
    day = StudyDay.containing(START, from_ms(0).tzinfo, burying.day_starts_at)
    _review(store, scheduling, "mini/blanks#c1", Rating.Good, START - timedelta(minutes=5))
    assert matching_keys("is:buried", deck, store, scheduling, START, day=day, settings=burying) == {"mini/blanks#c2"}
    assert "mini/blanks#c2" not in {item.key for item in build_queue(deck, store, burying, START, day).new}


def test_rated_and_failed_count_scheduled_reviews_of_recent_days(deck, history) -> None:
    assert find("rated:1", deck, history) == {"mini/pick-one"}  # the quiz answer is not a review
    assert find("failed:1", deck, history) == {"mini/pick-one"}
    assert find("rated:4", deck, history) == {"mini/pick-one", "mini/number"}
    assert find("failed:4", deck, history) == {"mini/pick-one", "mini/number"}
    assert find("rated:31", deck, history) == {"mini/pick-one", "mini/number", "mini/flash"}
    assert find("failed:31", deck, history) == {"mini/pick-one", "mini/number"}
    assert find("rated:4", deck, history, day=False) == {"mini/pick-one", "mini/number"}


def test_rated_with_an_answer_finds_the_reviews_answered_so(deck, history) -> None:
    _review(history, Scheduling(settings()), "second/two", Rating.Hard, START - timedelta(hours=2))
    assert parse("rated:7:2") == Recent(7, failed=False, rating=2)
    assert find("rated:1:1", deck, history) == find("failed:1", deck, history) == {"mini/pick-one"}
    assert find("rated:1:2", deck, history) == {"second/two"}
    assert find("rated:4:3", deck, history) == set()  # number's Good reviews were 10 days ago
    assert find("rated:11:3", deck, history) == {"mini/number"}
    assert find("rated:31:3", deck, history) == {"mini/number", "mini/flash"}
    assert find("rated:31:1", deck, history) == find("failed:31", deck, history)
    assert find("rated:365:4", deck, history) == set()
    assert find("rated:11:3", deck, history, day=False) == {"mini/number"}


def test_introduced_finds_cards_first_reviewed_in_the_last_days(deck, history) -> None:
    assert find("introduced:1", deck, history) == {"mini/pick-one"}  # the quiz answer is not a review
    assert find("introduced:4", deck, history) == {"mini/pick-one"}  # number lapsed 3 days ago, first seen 10
    assert find("introduced:11", deck, history) == {"mini/pick-one", "mini/number"}
    assert find("introduced:31", deck, history) == {"mini/pick-one", "mini/number", "mini/flash"}
    assert find("introduced:11", deck, history, day=False) == {"mini/pick-one", "mini/number"}
    # a reset card reviewed again today was still introduced when it was first reviewed, as in Anki
    history.apply([NewEvent("mini/number", "reset", to_ms(START - timedelta(hours=2)))])
    _review(history, Scheduling(settings()), "mini/number", Rating.Good, START - timedelta(hours=1))
    assert find("introduced:1", deck, history) == {"mini/pick-one"}
    assert find("rated:1 -introduced:1", deck, history) == {"mini/number"}


def test_properties_agree_with_the_scheduler(deck, history) -> None:
    scheduling = Scheduling(settings())
    rows = {key: history.card(key) for key in ALL if history.card(key) is not None}
    recall = {key: scheduling.retrievability(row, START) for key, row in rows.items()}
    for threshold in (0.3, 0.5, 0.8, 0.9, 0.95, 0.99):
        assert find(f"prop:r<{threshold}", deck, history) == {k for k, r in recall.items() if r < threshold}
        assert find(f"prop:r>={threshold}", deck, history) == {k for k, r in recall.items() if r >= threshold}
    some = max(recall, key=recall.get)
    assert some in find(f"prop:r={recall[some]:.2f}", deck, history)
    assert some not in find(f"prop:r!={recall[some]:.2f}", deck, history)
    difficulty = {key: row.difficulty for key, row in rows.items()}
    middle = sorted(difficulty.values())[1]
    assert find(f"prop:d>{middle}", deck, history) == {k for k, d in difficulty.items() if d > middle}
    assert find("prop:s>0", deck, history) == set(rows)
    assert find("prop:s>1000", deck, history) == set()


def test_interval_reps_and_lapses_agree_with_browse_and_card_info(deck, history) -> None:
    from quizapp.study.card_info import card_info
    from quizapp.study.card_list import list_cards

    scheduling = Scheduling(settings())
    # a lapse long ago that a reset forgot, then a review since: reps count it all, lapses only since the reset
    _review(history, scheduling, "second/two", Rating.Good, START - 60 * DAY)
    _review(history, scheduling, "second/two", Rating.Again, START - 30 * DAY)
    history.apply([NewEvent("second/two", "reset", to_ms(START - 20 * DAY))])
    _review(history, scheduling, "second/two", Rating.Good, START - 20 * DAY)
    items = [deck.item(key) for key in sorted(ALL)]
    shown = {row.item.key: row.interval_days for row in list_cards(items, history, scheduling, START)}
    intervals = {key: int(days) for key, days in shown.items() if days is not None}
    day = StudyDay.containing(START, START.tzinfo, settings().day_starts_at)
    info = {item.key: card_info(deck, history, scheduling, item, START, settings=settings(), day=day) for item in items}
    reps = {key: card.reps for key, card in info.items()}
    lapses = {key: card.lapses for key, card in info.items()}
    assert intervals["mini/pick-one"] == 0 and intervals["mini/flash"] > 1  # learning: minutes; review: days
    assert reps["mini/flash"] == 2 and reps["mini/number"] == 3 and reps["second/one"] == 0  # a quiz is no rep
    assert reps["second/two"] == 3 and lapses["second/two"] == 0 and lapses["mini/number"] == 1
    for n in sorted({*intervals.values(), 1, 100}):
        assert find(f"prop:ivl={n}", deck, history) == {k for k, d in intervals.items() if d == n}
        assert find(f"prop:ivl!={n}", deck, history) == {k for k, d in intervals.items() if d != n}
        assert find(f"prop:ivl<{n}", deck, history) == {k for k, d in intervals.items() if d < n}
        assert find(f"prop:ivl>={n}", deck, history) == {k for k, d in intervals.items() if d >= n}
    for name, counts in (("reps", reps), ("lapses", lapses)):
        for n in range(5):  # a card never reviewed counts 0, as in Anki
            assert find(f"prop:{name}={n}", deck, history) == {k for k, c in counts.items() if c == n}
            assert find(f"prop:{name}!={n}", deck, history) == {k for k, c in counts.items() if c != n}
            assert find(f"prop:{name}<={n}", deck, history) == {k for k, c in counts.items() if c <= n}
            assert find(f"prop:{name}>{n}", deck, history) == {k for k, c in counts.items() if c > n}
    assert find("prop:lapses>0", deck, history) == {"mini/number"}
    assert find("prop:reps>=3", deck, history) == {"mini/number", "second/two"}


def test_days_until_due(deck, history) -> None:
    day = StudyDay.containing(START, from_ms(0).tzinfo, settings().day_starts_at)
    days = {key: (history.card(key).due_ms - to_ms(day.start)) // 86_400_000
            for key in ALL if history.card(key) is not None}
    assert len(set(days.values())) > 1
    for n in sorted(set(days.values())):
        assert find(f"prop:due={n}", deck, history) == {k for k, d in days.items() if d == n}
        assert find(f"prop:due<{n}", deck, history) == {k for k, d in days.items() if d < n}
        assert find(f"prop:due>={n}", deck, history) == {k for k, d in days.items() if d >= n}


def test_select_returns_study_items_in_deck_order(deck, history) -> None:
    items = select("type:cloze OR topic:second", deck, history, Scheduling(settings()), START)
    assert [item.key for item in items] == ["mini/blanks#c1", "mini/blanks#c2", "second/one", "second/two"]
    assert [i.key for i in select("", deck, history, Scheduling(settings()), START)] == deck.keys()


# --- the set algebra over random queries -------------------------------------------------------------

TERMS = ["bn", "batch", '"the mini-batch"', "yes", "topic:mini", "topic:sec*", "tag:bn", "tag:none", "type:choice",
         "type:cloze", "key:mini/*", "is:due", "is:new", "is:learn", "is:review", "is:suspended", "is:buried",
         "is:leech", "is:flagged", "flag:0", "flag:1", "rated:1", "rated:7", "failed:4", "rated:31:3", "introduced:11", "prop:r<0.9",
         "prop:d>5", "prop:s>=1", "prop:due<=0", "prop:ivl>=1", "prop:reps<2", "prop:lapses=0"]
queries = st.recursive(
    st.sampled_from(TERMS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]}) ({pair[1]})"),
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]}) OR ({pair[1]})"),
        inner.map(lambda q: f"-({q})"),
    ),
    max_leaves=6,
)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=queries, b=queries)
def test_or_is_union_juxtaposition_is_intersection_and_minus_is_complement(deck, history, a, b) -> None:
    first, second = find(a, deck, history), find(b, deck, history)
    assert find(f"({a}) OR ({b})", deck, history) == first | second
    assert find(f"({a}) ({b})", deck, history) == first & second
    assert find(f"-({a})", deck, history) == ALL - first
    assert find(f"({a}) -({b})", deck, history) == first - second


def _each_term_alone(node, deck, store) -> set[str]:
    """A query's keys the plain way: every term over the whole deck on its own, then the set algebra."""
    if isinstance(node, And):
        return set.intersection(*(_each_term_alone(term, deck, store) for term in node.terms))
    if isinstance(node, Or):
        return set.union(*(_each_term_alone(term, deck, store) for term in node.terms))
    if isinstance(node, Not):
        return ALL - _each_term_alone(node.term, deck, store)
    return set(find_node(node, deck, store))


def find_node(node, deck, store) -> set[str]:
    scheduling = Scheduling(settings())
    day = StudyDay.containing(START, from_ms(0).tzinfo, settings().day_starts_at)
    return matching_keys(node, deck, store, scheduling, START, day=day)


@pytest.mark.parametrize("narrowing", ["always", "as shipped"])
@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=queries)
def test_and_hands_its_candidates_on_without_changing_what_is_found(deck, history, monkeypatch, narrowing,
                                                                   text) -> None:
    # "always": a costly term looks only at what the cheaper ones found, by key in the store and over those
    # cards' text, however many they are (the fixture deck is too small to reach the shipped shares).
    if narrowing == "always":
        monkeypatch.setattr(query_module, "KEYED_LOOKUP_SHARE", 0)
        monkeypatch.setattr(query_module, "TEXT_SUBSET_SHARE", 0)
    node = parse(text)
    assert find_node(node, deck, history) == _each_term_alone(node, deck, history)


def test_store_terms_among_candidates_are_the_plain_terms_within_them(deck, history) -> None:
    among = {"mini/flash", "mini/number", "mini/pick-one", "second/two", "gone/orphan"}
    start = to_ms(START - 7 * DAY)
    assert history.keys_reviewed_since(start, among=among) == history.keys_reviewed_since(start) & among
    assert history.keys_within("difficulty", [(">", 0)], among=among) == \
        history.keys_within("difficulty", []) & among == {"mini/flash", "mini/number", "mini/pick-one"}
    assert history.keys_marked("flagged", among=among) == {"second/two"}
    assert history.keys_marked("flagged", among=set()) == set()
    assert history.keys_due(to_ms(START + 400 * DAY), among=among) == history.keys_due(to_ms(START + 400 * DAY)) & among
    assert history.keys_introduced_since(start, among=among) == history.keys_introduced_since(start) & among
    assert history.keys_reviewed_since(start, rating=1, among=among) == {"mini/number", "mini/pick-one"}
    for count in ("reps", "lapses"):
        assert history.keys_counted(count, [(">=", 1)], among=among) == history.keys_counted(count, []) & among
    assert history.keys_counted("reps", [(">", 1)], among=among) == {"mini/flash", "mini/number"}
    assert history.keys_counted("reps", [(">", 1)], among=among, failing=True) == {"mini/pick-one"}


@hypothesis_settings(max_examples=300, deadline=None)
@given(values=st.lists(st.text(alphabet=st.sampled_from("aZé İ\u00a0\u3000\u2028\t\n\x85xß-") | st.characters()),
                       max_size=4))
def test_searchable_text_is_each_field_lower_cased_with_single_spaces(values) -> None:
    expected = "\n".join(" ".join(value.lower().split()) for value in values)
    from quizapp.deck import search_text

    assert "\n".join(map(search_text._one_spaced, values)).lower() == expected


def test_each_card_carries_its_search_text_from_the_files_and_from_the_cache(tmp_path: Path) -> None:
    """The loader works the text out once per card, and a start from the content cache gets the same text."""
    from quizapp.deck import load_deck
    from quizapp.deck.search_text import search_text

    fresh = load_deck([FIXTURE_DECK], cache=tmp_path)
    cached = load_deck([FIXTURE_DECK], cache=tmp_path)
    for card in fresh.cards():
        assert card.search_text == search_text(card.card)
        assert cached.card(card.key).search_text == card.search_text
    assert "mini-batch" in fresh.card("mini/blanks").search_text


def test_chinese_is_found_whether_or_not_a_space_stands_beside_it(tmp_path: Path) -> None:
    from quizapp.deck import load_deck

    (tmp_path / "zh.yaml").write_text(
        "topic: zh\ntitle: Zh\ncards:\n"
        "  - {id: tight, type: flashcard, front: 'What does k折交叉验证 estimate?', back: 'L2正则化 shrinks weights'}\n"
        "  - {id: spaced, type: flashcard, front: 'k  折 交叉验证', back: 'L2 正则化 (weight decay)'}\n"
        "  - {id: latin, type: flashcard, front: 'k fold', back: 'L2 penalty'}\n", encoding="utf-8")
    deck = load_deck([tmp_path])
    assert not deck.errors, [str(e) for e in deck.errors]
    both = {"zh/tight", "zh/spaced"}
    with Store.open(tmp_path / "data") as store:
        for query in ("k折", '"k 折"', '"K  折交叉"', '"折 交 叉"', "l2正则化", '"L2 正则化"', '"k 折*验证"', "正则 化"):
            assert find(query, deck, store) == both, query
        assert find('"k fold"', deck, store) == {"zh/latin"}  # Latin words keep their spaces
        assert find('"kfold"', deck, store) == set()
        assert find('"estimate? l2"', deck, store) == set()  # still a field at a time
        assert find('"k折 estimate"', deck, store) == set()


def test_a_wildcard_search_over_hostile_text_takes_linear_time(tmp_path: Path) -> None:
    # As a regex of `.*`, 'batch*norm*z' over a card of 'batch norm ' 1,800 times took 76 s, and a tag search with
    # eight stars over a 63-letter tag never ended
    from quizapp.deck import load_deck
    import time

    (tmp_path / "long.yaml").write_text(
        "topic: long\ntitle: Long\ncards:\n"
        f"  - {{id: words, type: flashcard, front: q, back: '{'batch norm ' * 1_800}z', tags: ['{'a' * 63}']}}\n"
        "  - {id: other, type: flashcard, front: batch, back: 'norm\n\n    z', tags: [Ab]}\n")
    deck = load_deck([tmp_path])
    assert not deck.errors, [str(e) for e in deck.errors]
    with Store.open(tmp_path / "data") as store:
        started = time.perf_counter()
        assert find("batch*norm*z", deck, store) == {"long/words"}  # not 'other': its words are in two fields
        assert find("batch*norm*y", deck, store) == set()
        assert find("tag:" + "a*" * 8 + "b", deck, store) == set()
        assert find("tag:" + "a*" * 8 + "a", deck, store) == {"long/words"}
        assert find("tag:a*", deck, store) == {"long/words", "long/other"}  # in any case
        assert find("key:*/w*s", deck, store) == {"long/words"}
        assert find("key:long/*r", deck, store) == {"long/other"}
        assert time.perf_counter() - started < 5


def test_a_search_that_finds_nothing_says_what_a_bare_word_searches() -> None:
    """A card's id given as a bare word (`--filter open-fight-vanishing`) searches the cards' text and finds
    nothing: the message names the key: that finds it, or else says what a bare word searches."""
    deck = fixture_deck()
    assert query_module.no_match("pick-one", deck) == (
        "no card matches the search 'pick-one': a bare word searches what cards say, not their ids; "
        "key:mini/pick-one finds the card with that id")
    assert query_module.no_match("mini/blanks topic:second", deck).endswith(  # one key for every deletion
        "key:mini/blanks finds the card with that id")
    assert "key:" not in query_module.no_match("-pick-one nothing-like-it", deck).split(": a bare", 1)[0]
    assert query_module.no_match("nothing-like-it", deck) == (
        "no card matches the search 'nothing-like-it': a bare word searches what cards say (key:topic/id matches "
        "a card's id, topic:T a topic, * any run of characters); try it in browse (/), or loosen it")
