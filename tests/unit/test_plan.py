"""The interview date: the plan's pace, the due-date cap, the last days' review, the forecast and `quizapp plan`."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.config import Settings
from quizapp.settings_file import remove_setting, save_setting
from quizapp.study import plan
from quizapp.study.clock import StudyDay, SystemClock, from_ms, to_ms
from quizapp.study.marking import mark
from quizapp.study.review import ReviewSession
from quizapp.study.scheduling import Scheduling
from quizapp.study.store import Store
from tests.study_helpers import FIXTURE_DECK, START, fixed_clock, fixture_deck, settings

TODAY = START.date()  # 09:00 UTC, after the study day's start at 04:00


def test_parse_date_says_the_accepted_form_and_refuses_the_past() -> None:
    assert plan.parse_date("2026-12-20", date(2026, 12, 1)) == date(2026, 12, 20)
    with pytest.raises(ValueError, match=r"not a date: '20/12/2026'; write it as YYYY-MM-DD, like 2026-12-31"):
        plan.parse_date("20/12/2026", date(2026, 12, 1))
    with pytest.raises(ValueError, match="2026-11-30 is in the past"):
        plan.parse_date("2026-11-30", date(2026, 12, 1))
    with pytest.raises(ValueError, match="is today"):
        plan.parse_date("2026-12-01", date(2026, 12, 1))


def test_the_pace_introduces_every_unseen_card_three_days_before() -> None:
    assert plan.needed_pace(0, 10) == 0
    assert plan.needed_pace(12 * 17, 19) == 12  # 17 days to introduce them, the last two for review
    assert plan.needed_pace(205, 19) == 13
    assert plan.needed_pace(50, 3) == 50  # one day left to introduce them: everything today
    assert plan.needed_pace(50, 2) == 0  # only the final review days are left: they bring no new cards
    assert plan.needed_pace(456, 3) == plan.MAX_PACE == 50  # not 456 in a day: the rest is said to stay unseen


def test_own_limits_apply_without_a_date_and_after_it() -> None:
    planned = settings(new_per_day=20, interview_date=TODAY + timedelta(days=10), interview_new_per_day=7)
    assert plan.new_limit(planned, TODAY) == 7
    assert plan.new_limit(planned, TODAY + timedelta(days=7)) == 7
    assert plan.new_limit(planned, TODAY + timedelta(days=8)) == 0  # the final review days: review only
    assert plan.new_limit(planned, TODAY + timedelta(days=9)) == 0
    assert plan.new_limit(planned, TODAY + timedelta(days=10)) == 20  # the day itself: the user's own
    assert plan.new_limit(planned, TODAY + timedelta(days=11)) == 20
    assert plan.new_limit(settings(new_per_day=20, interview_date=TODAY + timedelta(days=10)), TODAY) == 20  # kept
    assert plan.new_limit(settings(new_per_day=20), TODAY) == 20


def test_the_scheduler_caps_due_dates_at_the_interview_until_it_has_passed() -> None:
    interview = TODAY + timedelta(days=5)
    capped = Scheduling(settings(interview_date=interview))
    free = Scheduling(settings())
    cap = plan.due_cap(settings(interview_date=interview), timezone.utc)
    assert cap == START.replace(hour=4) + timedelta(days=5)
    row = None
    for day in range(3):  # Easy three days running: an interval of weeks without the cap
        now = START + timedelta(days=day)
        row = free.review("k/a", "k", row, Rating.Easy, now, None)
    assert from_ms(row.due_ms) > cap
    capped_row = capped.review("k/a", "k", row, Rating.Easy, START + timedelta(days=3), None)
    assert from_ms(capped_row.due_ms) == cap
    assert capped.preview("k/a", row, START + timedelta(days=3))[Rating.Easy] == cap - (START + timedelta(days=3))
    after = capped.review("k/a", "k", row, Rating.Easy, cap + timedelta(days=1), None)
    assert from_ms(after.due_ms) > cap + timedelta(days=2)  # after the interview: no cap


def _answer_all(session: ReviewSession, clock, day: int) -> None:
    """A scripted user: answers every card due, right except one in five; learning cards when they come back."""
    count = 0
    while True:
        question = session.current
        if question is None:
            due = session.next_learning_due
            if due is None:
                return
            clock.moment = max(clock.moment, due)
            session = ReviewSession(session.deck, session.store, session.settings, clock, seed=day)
            if session.current is None:
                return
            continue
        right = (count + day) % 5 != 0
        count += 1
        if question.kind == "choice":
            session.check_choice(question.correct_options if right else frozenset({len(question.options) - 1})
                                 - question.correct_options or frozenset({0}))
        elif question.auto_checked:
            expected = question.problem.answer if question.problem is not None else question.item.card.card.answer
            session.check(repr(expected) if right else "987654")
        session.rate(Rating.Good if right else Rating.Again)
        clock.advance(minutes=1)


def test_thirty_days_to_the_interview(tmp_path: Path) -> None:
    """Over 30 simulated days at the plan's pace: every card seen on two different days at least before the
    interview, no due date past it, and every card likely recalled on the day."""
    deck = fixture_deck()
    interview = TODAY + timedelta(days=30)
    keys = deck.keys()
    pace = plan.needed_pace(len(keys), 30)
    planned = settings(new_per_day=0, interview_date=interview, interview_new_per_day=pace)
    cap = plan.due_cap(planned, timezone.utc)
    clock = fixed_clock()
    with Store.open(tmp_path / "data") as store:
        for day in range(30):
            clock.moment = START + timedelta(days=day)
            _answer_all(ReviewSession(deck, store, planned, clock, seed=day), clock, day)
            assert all(from_ms(row.due_ms) <= cap for row in store.cards()), day
        reviews = [row for row in store.log() if row.mode == "review"]
        assert all(from_ms(row.reviewed_ms) < cap for row in reviews)
        for key in keys:
            days = {StudyDay.containing(from_ms(r.reviewed_ms), timezone.utc, 4).day for r in reviews if r.key == key}
            assert len(days) >= 2, key
        recall = Scheduling(planned).recall
        on_the_day = [recall(row.stability, row.last_review_ms, cap) for row in store.cards()]
        assert min(on_the_day) >= planned.desired_retention
        final_days = {StudyDay.containing(from_ms(r.reviewed_ms), timezone.utc, 4).day for r in reviews}
        # the final review days had reviews of their own (the last one no longer asks the cards the cap made due
        # when the interview's day begins: they are due on that day)
        assert interview - timedelta(days=2) in final_days


def test_final_review_takes_what_would_be_forgotten_on_the_day_on_the_last_days_only(tmp_path: Path) -> None:
    from quizapp.study.scheduling import card_id_for
    from quizapp.study.store import NewReview

    deck = fixture_deck()
    with Store.open(tmp_path / "data") as store:
        scheduling = Scheduling(settings())
        row = None
        for step in range(3):  # mini/flash: in review, due in a few days
            row = scheduling.review("mini/flash", "mini", row, Rating.Good, START + timedelta(days=step), None)
        assert row.state == 2
        store.bulk_load([row], [NewReview("mini/flash", card_id_for("mini/flash"), 3, row.last_review_ms, 0, "review")])
        interview = StudyDay.containing(from_ms(row.due_ms), timezone.utc, 4).day  # due on the day itself
        last_day = StudyDay.of(interview - timedelta(days=1), timezone.utc, 4)
        first_day = StudyDay.of(interview - timedelta(days=2), timezone.utc, 4)
        earlier = StudyDay.of(interview - timedelta(days=3), timezone.utc, 4)
        keen = settings(interview_date=interview, desired_retention=0.97)  # raised since it was scheduled
        assert [i.key for i in plan.final_review(deck, store, keen, last_day, set())] == ["mini/flash"]
        assert [i.key for i in plan.final_review(deck, store, keen, first_day, set())] == ["mini/flash"]
        assert plan.final_review(deck, store, keen, earlier, set()) == []  # not one of the last two days
        assert plan.final_review(deck, store, settings(interview_date=interview), last_day, set()) == []  # recalled
        assert plan.final_review(deck, store, keen, last_day, {"mini/flash"}) == []  # already in the queue
        assert plan.final_review(deck, store, keen, last_day, set(), topics=["second"]) == []
        from quizapp.study.queue import build_queue

        queue = build_queue(deck, store, keen, last_day.start + timedelta(hours=5), last_day)
        assert [i.key for i in queue.review] == ["mini/flash"]  # the queue takes them, due or not
        assert build_queue(deck, store, keen, earlier.start + timedelta(hours=5), earlier).review == []


def test_the_plan_and_its_forecast(tmp_path: Path) -> None:
    deck = fixture_deck()
    clock = fixed_clock()
    with Store.open(tmp_path / "data") as store:
        made = plan.make_plan(deck, store, settings(new_per_day=20), clock, TODAY + timedelta(days=12))
        assert made.days_left == 12 and made.cards == made.unseen == len(deck.keys())
        assert made.pace == plan.needed_pace(made.unseen, 12)
        assert len(made.forecast) == 12 and made.forecast[0] >= made.pace  # each new card is reviewed on day 1
        assert sum(made.own_forecast) > 0 and made.own_unseen_left == 0
        lines = plan.plan_lines(made)
    assert lines[0] == "12 days to your interview on Saturday 14 March 2026."
    assert f"{made.pace} new a day to finish by Wednesday 11 March (your own limit: 20 a day)." in lines
    assert any(line.startswith("  02 Mar:") for line in lines)


def test_the_new_cards_learned_today_count_against_todays_pace(tmp_path: Path) -> None:
    """Today's limit already spent, today brings no more new cards in the forecast (it counted them again)."""
    deck = fixture_deck()
    clock = fixed_clock()
    with Store.open(tmp_path / "data") as store:
        session = ReviewSession(deck, store, settings(new_per_day=1), clock)
        session.rate(Rating.Easy)  # today's one new card
        made = plan.make_plan(deck, store, settings(new_per_day=1), clock, TODAY + timedelta(days=4))
        assert made.unseen == len(deck.keys()) - 1
        assert made.own_unseen_left == made.unseen - 3  # one a day on the 3 days after today
        assert made.pace == plan.needed_pace(made.unseen + 1, 4)  # today's card is part of today's pace


def test_suspended_cards_are_neither_cards_to_learn_nor_reviews_in_the_forecast(tmp_path: Path) -> None:
    """The plan counted a suspended new card as one to learn by the day, and a suspended card's reviews in its
    forecast, though the queue (as Anki's) leaves suspended cards out."""
    deck = fixture_deck()
    clock = fixed_clock()
    keys = deck.keys()
    day = StudyDay.containing(clock.now(), clock.tz, settings().day_starts_at)
    with Store.open(tmp_path / "data") as store:
        ReviewSession(deck, store, settings(), clock, only=[keys[0]]).rate(Rating.Good)
        before = plan.make_plan(deck, store, settings(), clock, TODAY + timedelta(days=12))
        mark(store, [keys[1]], "suspend", day, to_ms(clock.now()))
        one = plan.make_plan(deck, store, settings(), clock, TODAY + timedelta(days=12))
        assert (one.cards, one.unseen, one.suspended) == (before.cards, before.unseen - 1, 1)
        assert "1 suspended, left out of the plan." in plan.plan_lines(one)[1]
        mark(store, keys, "suspend", day, to_ms(clock.now()))  # the card reviewed too
        none = plan.make_plan(deck, store, settings(), clock, TODAY + timedelta(days=12))
        assert (none.unseen, none.pace, none.suspended) == (0, 0, len(keys))
        assert sum(none.forecast) == sum(none.own_forecast) == 0 < sum(before.forecast)
        assert "Every card not suspended has been seen" in plan.plan_lines(none)[2]


# --- the plan command ---------------------------------------------------------------------------------


def study_today() -> date:
    """Today as the command counts it: a study day starts at `day_starts_at`, so just after midnight it is still
    yesterday (`date.today()` made these tests fail between midnight and 4 a.m.)."""
    clock = SystemClock()
    return StudyDay.containing(clock.now(), clock.tz, Settings().day_starts_at).day


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["--no-builtin", "--content", str(FIXTURE_DECK), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_command_sets_shows_accepts_and_clears(capsys, isolated_env: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    when = study_today() + timedelta(days=40)
    code, out, _ = run(capsys, "plan")
    assert code == 0 and "No interview date set" in out
    code, out, _ = run(capsys, "plan", when.isoformat(), "--topic", "mini")
    assert code == 0 and "to your interview on" in out and "Forecast of reviews a day" in out
    assert "`quizapp plan" in out and "--accept` uses the plan's pace" in out
    assert f"interview_date = {when.isoformat()}" in config.read_text()
    assert 'interview_topics = ["mini"]' in config.read_text() and "interview_new_per_day" not in config.read_text()
    code, out, _ = run(capsys, "plan", when.isoformat(), "--topic", "mini", "--accept")
    assert code == 0 and "interview_new_per_day = 1" in config.read_text()
    code, out, _ = run(capsys, "plan")
    assert code == 0 and "7 cards in mini" in out and "1 new a day (the plan's pace)" in out
    code, out, _ = run(capsys, "plan", "--clear")
    assert code == 0 and "Interview date cleared" in out and "interview" not in config.read_text()
    code, out, _ = run(capsys, "plan", "--clear")
    assert "No interview date was set." in out


def test_plan_command_sums_up_an_accepted_pace_with_the_final_days_that_bring_none(capsys, isolated_env: Path,
                                                                                   tmp_path: Path) -> None:
    # Its last line said "Until <date>: 50 new a day (the plan's pace)", two lines under "the last 2 days bring no
    # new cards at the plan's pace" (and the queue brings none then): the summary contradicted the plan.
    when = study_today() + timedelta(days=8)
    code, out, _ = run(capsys, "plan", when.isoformat(), "--accept")
    assert code == 0
    last = out.rstrip().splitlines()[-1]
    assert last.startswith(f"Until {when}: ")
    assert last.endswith(" new a day (the plan's pace), none on the last 2 days; then your own 20.")
    (tmp_path / "config.toml").write_text(f"interview_date = {when}\ninterview_new_per_day = 0\n")
    code, out, _ = run(capsys, "plan")  # behind the plan's pace: the final days are still said to bring none
    assert code == 0 and "takes it), none on the last 2 days; then your own 20." in out


@pytest.mark.parametrize("flags", [("--keep",), ()])  # no flag and no terminal: kept too
def test_plan_command_keeping_your_own_pace_shows_the_plan_without_the_pace_it_drops(capsys, isolated_env: Path,
                                                                                     tmp_path: Path, flags) -> None:
    # `plan DATE --keep` printed the plan beside "the pace you accepted: 5 a day" (its forecast too), then dropped
    # that pace and ended with "your own 20 new a day": the plan compared with a pace no longer in force.
    when = study_today() + timedelta(days=8)
    config = tmp_path / "config.toml"
    config.write_text(f"interview_date = {when}\ninterview_new_per_day = 5\n")
    code, out, _ = run(capsys, "plan", when.isoformat(), *flags)
    assert code == 0 and "interview_new_per_day" not in config.read_text()
    assert "the pace you accepted" not in out and "(your own limit: 20 a day" in out
    assert "At your own limit:" in out and f"Until {when}: your own 20 new a day." in out


@pytest.mark.parametrize("text, message", [
    ("2026-02-30", "write it as YYYY-MM-DD"),
    ("next friday", "write it as YYYY-MM-DD"),
    ("2001-01-01", "2001-01-01 is in the past: the interview date must be after today"),
])
def test_plan_command_refuses_bad_dates(capsys, isolated_env: Path, tmp_path: Path, text: str, message: str) -> None:
    code, out, err = run(capsys, "plan", text)
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "config.toml").exists()  # nothing saved


def test_plan_command_after_the_date(capsys, isolated_env: Path, tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("interview_date = 2001-01-01\n")
    code, out, _ = run(capsys, "plan")
    assert code == 0 and "has passed: your own limits apply again" in out


def test_plan_command_on_the_day_of_the_interview(capsys, isolated_env: Path, tmp_path: Path) -> None:
    now = datetime.now().astimezone()
    today = StudyDay.containing(now, now.tzinfo, settings().day_starts_at).day  # the study day, as the CLI sees it
    (tmp_path / "config.toml").write_text(f"interview_date = {today.isoformat()}\n")
    code, out, _ = run(capsys, "plan")
    assert code == 0 and out.startswith(f"Your interview is today, {today:%A %d %B %Y}: good luck.")
    assert "new a day" not in out and "Forecast" not in out  # not "0 days to your interview", "477 new a day"


def test_settings_file_writes_dates_and_lists_and_removes_a_setting(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\nnew_per_day = 5\n\n[later]\n")
    save_setting(path, "interview_date", date(2026, 12, 20))
    save_setting(path, "interview_topics", ["a", "b-c"])
    assert path.read_text() == ('# mine\nnew_per_day = 5\n\ninterview_date = 2026-12-20\n'
                                'interview_topics = ["a", "b-c"]\n[later]\n')
    assert remove_setting(path, "interview_date") is True
    assert remove_setting(path, "interview_date") is False
    assert path.read_text() == '# mine\nnew_per_day = 5\n\ninterview_topics = ["a", "b-c"]\n[later]\n'


def test_the_forecast_takes_the_final_review_on_the_day_the_queue_does(tmp_path: Path) -> None:
    """Two days before the interview the queue reviews a card that would be forgotten *on the interview's day*;
    the forecast must count it that day too, not a day later (it judged recall at the end of the day instead)."""
    from quizapp.study.scheduling import card_id_for
    from quizapp.study.store import NewReview

    deck = fixture_deck()
    with Store.open(tmp_path / "data") as store:
        scheduling = Scheduling(settings())
        row = None
        for step in range(3):
            row = scheduling.review("mini/flash", "mini", row, Rating.Good, START + timedelta(days=step), None)
        store.bulk_load([row], [NewReview("mini/flash", card_id_for("mini/flash"), 3, row.last_review_ms, 0, "review")])
        interview = StudyDay.containing(from_ms(row.due_ms), timezone.utc, 4).day + timedelta(days=1)
        first_day = StudyDay.of(interview - timedelta(days=2), timezone.utc, 4)
        on_the_day = StudyDay.of(interview, timezone.utc, 4).start
        recall = Scheduling(settings()).recall
        # A retention between the recall at the end of the first day and on the interview's day.
        retention = (recall(row.stability, row.last_review_ms, first_day.end)
                     + recall(row.stability, row.last_review_ms, on_the_day)) / 2
        planned = settings(interview_date=interview, desired_retention=round(retention, 4))
        assert [i.key for i in plan.final_review(deck, store, planned, first_day, set())] == ["mini/flash"]
        made = plan.make_plan(deck, store, planned, fixed_clock(first_day.start + timedelta(hours=5)), interview,
                              topics=["mini"])
        # mini/flash is reviewed on the first of the two days (with the new cards), not again on the last.
        new_only = plan._simulate([], [made.pace, 0], planned, timezone.utc, first_day.day, 2)
        assert made.forecast[0] == new_only[0] + 1


def test_a_pace_accepted_earlier_is_the_one_forecast_beside_the_plan(tmp_path: Path) -> None:
    """Fallen behind a pace accepted earlier: the second forecast is that pace, which the queue keeps, not
    new_per_day (the plan forecast 20 a day and 456 a day, and the queue would show 51)."""
    deck = fixture_deck()
    interview = TODAY + timedelta(days=4)
    accepted = settings(new_per_day=20, interview_date=interview, interview_new_per_day=1)
    with Store.open(tmp_path / "data") as store:
        made = plan.make_plan(deck, store, accepted, fixed_clock(), interview)
        own = plan.make_plan(deck, store, settings(new_per_day=20), fixed_clock(), interview)
    assert made.accepted and made.own_new_per_day == 1 and made.pace > 1
    assert made.own_unseen_left == made.unseen - 2  # one a day, today included, none on the final two days
    assert not own.accepted and own.own_new_per_day == 20
    lines = plan.plan_lines(made)
    assert f"{made.pace} new a day to finish by Tuesday 3 March (the pace you accepted: 1 a day, which leaves " \
           f"{made.unseen - 2} unseen on the day)." in lines
    assert "At the pace you accepted (1 a day):" in lines


def test_plan_command_says_when_the_accepted_pace_falls_behind(capsys, isolated_env: Path, tmp_path: Path) -> None:
    when = study_today() + timedelta(days=3)
    (tmp_path / "config.toml").write_text(f'interview_date = {when}\ninterview_new_per_day = 1\n'
                                          'interview_topics = ["mini"]\n')
    code, out, _ = run(capsys, "plan")
    assert code == 0 and "7 new a day" in out
    assert (f"Until {when}: 1 new a day (the pace you accepted; the plan now needs 7: `quizapp plan {when} --accept` "
            "takes it)") in out
    assert "(the plan's pace)" not in out


def test_the_pace_is_capped_and_the_final_days_bring_no_new_cards(tmp_path: Path) -> None:
    """Plan text, forecast and queue agree: no more than MAX_PACE a day, the rest said to stay unseen, and no new
    card from the plan's pace on the last two days (the queue asked for 456 a day with a day left, and brought
    an accepted pace's new cards on the final review days)."""
    from quizapp.study.queue import build_queue

    deck = fixture_deck()
    unseen = len(deck.keys())
    with Store.open(tmp_path / "data") as store, pytest.MonkeyPatch.context() as patch:
        patch.setattr(plan, "MAX_PACE", 2)  # the fixture deck is small: a cap of 2 stands for 50
        made = plan.make_plan(deck, store, settings(new_per_day=1), fixed_clock(), TODAY + timedelta(days=4))
        assert made.pace == 2 and made.unseen_left == unseen - 4  # two days of two, none on the final two days
        assert made.own_forecast[3] > 0  # the user's own limit goes on: it is not the plan's
        lines = plan.plan_lines(made)
        assert (f"2 new a day until Tuesday 3 March, the most the plan asks of a day: {unseen - 4} will not be seen "
                f"before the interview (your own limit: 1 a day, which leaves {unseen - 4} unseen on the day).") in lines
        late = plan.make_plan(deck, store, settings(new_per_day=1), fixed_clock(), TODAY + timedelta(days=1))
        assert late.pace == 0 and late.forecast == (0,)
        assert (f"Only the final review days are left (the last 2, no new cards at the plan's pace): the {unseen} "
                "not seen yet stay unseen (your own limit: 1 a day, which leaves "
                f"{unseen - 1} unseen on the day).") in plan.plan_lines(late)
    accepted = settings(new_per_day=20, interview_date=TODAY + timedelta(days=4), interview_new_per_day=2)
    with Store.open(tmp_path / "other") as store:
        for offset, wanted in ((1, 2), (2, 0), (3, 0), (4, min(20, unseen))):  # the queue: the pace, none, none, the user's own
            day = StudyDay.of(TODAY + timedelta(days=offset), timezone.utc, 4)
            assert len(build_queue(deck, store, accepted, day.start + timedelta(hours=5), day).new) == wanted, offset


def test_plan_command_on_the_final_review_days(capsys, isolated_env: Path, tmp_path: Path) -> None:
    now = datetime.now().astimezone()
    today = StudyDay.containing(now, now.tzinfo, settings().day_starts_at).day
    when = today + timedelta(days=2)
    (tmp_path / "config.toml").write_text(f'interview_date = {when}\ninterview_new_per_day = 5\n')
    code, out, _ = run(capsys, "plan")  # an accepted pace: these days bring none (not "5 new a day")
    assert code == 0 and f"Until {when}: no new cards (the last 2 days before it review only); then your own" in out
    code, out, _ = run(capsys, "plan", str(today + timedelta(days=1)), "--keep")
    assert code == 0 and "Only the final review days are left" in out
    assert "--accept` brings none, for the final review days." in out and "(0 a day)" not in out


# --- the plan's topics first --------------------------------------------------------------------------------


def _new_keys(deck, store, planned, offset: int = 0, topics=None) -> list[str]:
    from quizapp.study.queue import build_queue

    day = StudyDay.of(TODAY + timedelta(days=offset), timezone.utc, 4)
    return [item.key for item in build_queue(deck, store, planned, day.start + timedelta(hours=5), day, topics).new]


def test_an_accepted_pace_brings_the_plans_topics_first_then_the_others(tmp_path: Path) -> None:
    """`plan DATE --topic mini --accept` saved mini's pace, but the queue took it as the day's limit over every topic
    in turn (mini/flash, second/one, mini/pick-one): mini did not get its pace, and the plan was not kept."""
    deck = fixture_deck()
    interview = TODAY + timedelta(days=10)
    mini = settings(new_per_day=20, new_card_order="interleaved", interview_date=interview,
                    interview_topics=("mini",), interview_new_per_day=3)
    second = mini.model_copy(update={"interview_topics": ("second",)})
    with Store.open(tmp_path / "data") as store:
        assert _new_keys(deck, store, mini) == ["mini/flash", "mini/pick-one", "mini/pick-many"]
        # the plan's topics have only two unseen: the other topics fill up to the same limit
        assert _new_keys(deck, store, second) == ["second/one", "second/two", "mini/flash"]
        assert _new_keys(deck, store, mini, offset=8) == []  # the final review days: none, as before
        # the interview's day: the user's own limit over every topic in turn again
        assert _new_keys(deck, store, mini, offset=10)[:3] == ["mini/flash", "second/one", "mini/pick-one"]
        kept = mini.model_copy(update={"interview_new_per_day": None, "new_per_day": 3})  # --keep: no topic first
        assert _new_keys(deck, store, kept) == ["mini/flash", "second/one", "mini/pick-one"]


def test_a_session_of_other_topics_has_what_the_plans_topics_leave_of_the_pace(tmp_path: Path) -> None:
    """A review of other topics only must not spend the pace the plan's topics need today (then they would fall
    behind), but it has what they leave, and the extra new cards granted to it; its counts say the same."""
    from quizapp.study.queue import learn_more_new, topic_counts

    deck = fixture_deck()
    clock = fixed_clock()
    day = StudyDay.containing(clock.now(), clock.tz, 4)
    second = settings(new_per_day=20, interview_date=TODAY + timedelta(days=10), interview_topics=("second",),
                      interview_new_per_day=3)
    with Store.open(tmp_path / "data") as store:
        assert _new_keys(deck, store, second, topics=["mini"]) == ["mini/flash"]  # 3, less second's two
        assert _new_keys(deck, store, second, topics=["second"]) == ["second/one", "second/two"]
        counts = topic_counts(deck, store, second, clock.now(), day)
        assert (counts["mini"].new, counts["second"].new) == (1, 2)
        mini = second.model_copy(update={"interview_topics": ("mini",)})
        assert _new_keys(deck, store, mini, topics=["second"]) == []  # mini has more than the pace unseen
        learn_more_new(store, day, ["second"], 1)
        assert _new_keys(deck, store, mini, topics=["second"]) == ["second/one"]  # the extra granted to second
        assert _new_keys(deck, store, mini, topics=["mini", "second"]) == [
            "mini/flash", "mini/pick-one", "mini/pick-many", "second/one"]
        ReviewSession(deck, store, mini, clock, topics=["mini"]).rate(Rating.Easy)  # mini/flash
        assert _new_keys(deck, store, mini) == ["mini/pick-one", "mini/pick-many"]  # today's count against the pace


def test_the_forecast_draws_the_topics_new_cards_as_the_queue_does(tmp_path: Path) -> None:
    """At the user's own limit the queue brings new cards from every topic in turn, so the plan's topic has only
    its turns: the forecast counted the whole limit as the topic's, and said none would be left unseen."""
    deck = fixture_deck()
    own = settings(new_per_day=1, new_card_order="interleaved")
    interview = TODAY + timedelta(days=5)
    with Store.open(tmp_path / "data") as store:
        made = plan.make_plan(deck, store, own, fixed_clock(), interview, topics=["second"])
        assert _new_keys(deck, store, own) == ["mini/flash"]  # mini's turn comes first each day
        assert made.own_unseen_left == 2 and sum(made.own_forecast) == 0  # so second has none at 1 a day
        assert made.pace == 1 and made.unseen_left == 0 and made.forecast[0] > 0  # at its pace, first: both
        accepted = own.model_copy(update={"interview_date": interview, "interview_topics": ("second",),
                                          "interview_new_per_day": 1})
        assert _new_keys(deck, store, accepted) == ["second/one"]
        assert plan.make_plan(deck, store, accepted, fixed_clock(), interview, ["second"]).own_unseen_left == 0
        # a plan of second shown while mini's pace is the one accepted: the queue brings mini's first
        mini_first = accepted.model_copy(update={"interview_date": TODAY + timedelta(days=4),
                                                 "interview_topics": ("mini",), "interview_new_per_day": 3})
        shown = plan.make_plan(deck, store, mini_first, fixed_clock(), TODAY + timedelta(days=4), ["second"])
        assert shown.accepted and shown.own_unseen_left == 2  # mini's three a day on the two days before the final


def test_the_plan_says_what_the_queue_holds_back_below_the_most_it_asks(tmp_path: Path) -> None:
    """A note's cards come on different days (bury_new_siblings): with one day to introduce mini's seven cards,
    the queue brings six, and the plan said all would be seen."""
    deck = fixture_deck()
    with Store.open(tmp_path / "data") as store:
        made = plan.make_plan(deck, store, settings(bury_new_siblings=True), fixed_clock(), TODAY + timedelta(days=3),
                              ["mini"])
    assert made.pace == 7 < plan.MAX_PACE and made.unseen_left == 1  # mini/blanks#c2 waits for another day
    assert ("7 new a day until Monday 2 March, though 1 will still not be seen before the interview: the queue "
            "brings a note's cards on different days, and keeps a topic's own limit") in plan.plan_lines(made)[2]


def test_the_pace_is_the_smallest_that_leaves_nothing_unseen(tmp_path: Path) -> None:
    """The pace was the unseen cards over the days, though the queue holds some back (a note's cards on different
    days): at 4 a day mini/blanks#c2 was left unseen, and the plan said so while 5 a day (under the cap) sees it."""
    deck = fixture_deck()
    interview = TODAY + timedelta(days=4)
    with Store.open(tmp_path / "data") as store:
        made = plan.make_plan(deck, store, settings(bury_new_siblings=True), fixed_clock(), interview, ["mini"])
        assert plan.needed_pace(made.unseen, 4) == 4  # the first estimate
        assert made.pace == 5 and made.unseen_left == 0
        assert "5 new a day to finish by Tuesday 3 March" in plan.plan_lines(made)[2]
        accepted = settings(bury_new_siblings=True, interview_date=interview, interview_topics=("mini",),
                            interview_new_per_day=5)
        first = _new_keys(deck, store, accepted)
        assert len(first) == 5 and "mini/blanks#c1" in first  # the queue agrees: c1 today, c2 and gen tomorrow


def test_the_pace_search_takes_few_draws() -> None:
    """From the estimate the pace is raised by what is left, the raise doubled, then halved down to the smallest."""
    tried: list[int] = []

    def draw(pace: int) -> list[int]:  # 100 cards over 10 days; the queue holds back 30 at any pace below 40
        tried.append(pace)
        return [min(100, pace * 10) - (30 if pace < 40 else 0)]

    at_pace: dict[int, list[int]] = {}
    assert plan._smallest_pace(10, 10, 100, at_pace, draw) == 40
    assert len(tried) <= 10, tried  # not one a pace from 10 to 40: a raise, the cap, then halves
    tried.clear()
    # Even the most the plan asks leaves 5: the smallest pace that leaves no more than that.
    assert plan._smallest_pace(10, 10, 105, {}, lambda pace: tried.append(pace) or [min(100, pace * 10)]) == 10
    tried.clear()
    assert plan._smallest_pace(3, 10, 60, {}, lambda pace: tried.append(pace) or [min(55, pace * 10)]) == 6
    assert len(tried) <= 6, tried


def test_the_plan_says_the_own_limit_is_shared_by_every_topic(tmp_path: Path) -> None:
    """`plan DATE --topic auc-roc --topic batch-norm` said "6 new a day (your own limit: 20 a day, which leaves 12
    unseen)": more a day leaving more unseen read as a contradiction; the 20 are shared by all 14 topics."""
    deck = fixture_deck()
    with Store.open(tmp_path / "data") as store:
        made = plan.make_plan(deck, store, settings(new_per_day=1, new_card_order="interleaved"), fixed_clock(),
                              TODAY + timedelta(days=5), topics=["second"])
        both = plan.make_plan(deck, store, settings(new_per_day=1), fixed_clock(), TODAY + timedelta(days=5))
    assert made.pace == 1 and made.own_unseen_left == 2
    assert ("1 new a day to finish by Wednesday 4 March (your own limit: 1 a day shared by both topics, which leaves 2 "
            "of this topic unseen on the day; the plan's pace, accepted, brings it first).") in plan.plan_lines(made)
    assert "shared" not in plan.plan_lines(both)[2]  # a plan of every topic: nothing to share with


def test_plan_command_says_when_it_saves_or_replaces_the_date(capsys, isolated_env: Path, tmp_path: Path,
                                                              monkeypatch) -> None:
    """`plan 2026-12-06`, run to compare, saved the date without a word, and every due date was capped at it."""
    config = tmp_path / "config.toml"
    first, other = study_today() + timedelta(days=40), study_today() + timedelta(days=20)
    code, out, _ = run(capsys, "plan", first.isoformat())
    assert code == 0
    assert f"Interview date saved: {first:%A %d %B %Y}, for every topic; `quizapp plan --clear` forgets it." in out
    code, out, _ = run(capsys, "plan", first.isoformat())
    assert "Interview date saved" not in out  # the same date again: nothing changes
    code, out, _ = run(capsys, "plan", other.isoformat(), "--topic", "mini")  # not a terminal: replaced, and said
    assert f"Interview date saved: {other:%A %d %B %Y} (was {first:%A %d %B %Y}), for mini;" in out
    assert f"interview_date = {other}" in config.read_text()
    # On a terminal, another date is saved only when the user says so.
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    asked: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "n")
    code, out, _ = run(capsys, "plan", first.isoformat())
    assert code == 0 and asked == [f"\nReplace your interview date, {other:%A %d %B %Y}, with this one? [y/N] "]
    assert f"Interview date kept: {other:%A %d %B %Y}; nothing saved." in out and "Forecast of reviews" in out
    assert f"interview_date = {other}" in config.read_text() and "Until" not in out
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "y")
    code, out, _ = run(capsys, "plan", first.isoformat())
    assert f"Interview date saved: {first:%A %d %B %Y} (was {other:%A %d %B %Y})" in out
    assert f"interview_date = {first}" in config.read_text() and len(asked) == 3  # and the pace asked for
