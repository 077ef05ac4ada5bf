"""The clocks as a pure function of a ticket's timeline (no database): pauses, reopening, the
next response's cycles, and the alert marks carried from one evaluation to the next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desk.sla import clocks
from desk.sla.hours import Calendar, add_business_seconds, parse_calendar

ALWAYS = Calendar.always_open()
OFFICE = parse_calendar(
    time_zone="Asia/Kathmandu", hours={day: [["09:00", "17:00"]] for day in ("sun", "mon", "tue", "wed", "thu", "fri")}
)
START = datetime(2026, 12, 7, 3, 15, tzinfo=UTC)  # Monday 09:00 in Kathmandu
TARGETS = {"first_response": 60, "next_response": 30, "resolution": 240}


def replay(entries, *, calendar=ALWAYS, targets=TARGETS, now=None):
    return clocks.replay(
        calendar=calendar, targets=targets, created_at=START, entries=entries, now=now or START + timedelta(days=30)
    )


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_a_fresh_ticket_runs_first_response_and_resolution():
    result = replay([])
    assert result["first_response"].due_at == START + minutes(60)
    assert result["first_response"].at_risk_at == START + minutes(45)
    assert result["resolution"].due_at == START + minutes(240)
    assert result["next_response"].cycle is None  # idle


def test_office_hours_move_the_due_times():
    result = replay([], calendar=OFFICE)
    assert result["resolution"].due_at == START + minutes(240)  # the same day: 13:00 local
    evening = START + timedelta(hours=7, minutes=30)  # 16:30 local: half an hour left today
    late = clocks.replay(calendar=OFFICE, targets=TARGETS, created_at=evening, entries=[], now=evening)
    assert late["first_response"].due_at == START + timedelta(days=1, minutes=30)


@settings(max_examples=60, deadline=None)
@given(
    pause_at=st.integers(min_value=1, max_value=200),
    pause_for=st.integers(min_value=1, max_value=60 * 24 * 5),
)
def test_a_pending_period_moves_the_due_time_by_exactly_its_length(pause_at: int, pause_for: int):
    paused = START + minutes(pause_at)
    resumed = paused + minutes(pause_for)
    result = replay([clocks.status_entry(paused, "pending"), clocks.status_entry(resumed, "open")])
    assert result["resolution"].due_at == START + minutes(240 + pause_for)


@settings(max_examples=60, deadline=None)
@given(pause_at=st.integers(min_value=1, max_value=600), pause_for=st.integers(min_value=1, max_value=60 * 24 * 9))
def test_on_a_business_calendar_a_pause_costs_no_business_time(pause_at: int, pause_for: int):
    paused = add_business_seconds(OFFICE, START, pause_at * 60)
    resumed = paused + minutes(pause_for)
    result = replay(
        [clocks.status_entry(paused, "pending"), clocks.status_entry(resumed, "in_progress")], calendar=OFFICE
    )
    if pause_at < 240:
        assert result["resolution"].due_at == add_business_seconds(OFFICE, resumed, (240 - pause_at) * 60)
    else:  # missed before the pause: the due time is where it was reached
        assert result["resolution"].due_at == add_business_seconds(OFFICE, START, 240 * 60)


def test_a_staff_reply_meets_first_and_next_response_but_not_resolution():
    reply = START + minutes(20)
    result = replay([clocks.message_entry(reply, from_customer=False)])
    assert result["first_response"].met_at == reply and not result["first_response"].late()
    assert result["resolution"].met_at is None


def test_customer_messages_before_the_first_reply_start_no_next_response():
    result = replay([clocks.message_entry(START + minutes(5), from_customer=True)])
    assert result["next_response"].cycle is None


def test_each_wait_after_a_reply_is_a_new_next_response_cycle():
    entries = [
        clocks.message_entry(START + minutes(10), from_customer=False),
        clocks.message_entry(START + minutes(60), from_customer=True),
        clocks.message_entry(START + minutes(70), from_customer=True),  # the same wait
        clocks.message_entry(START + minutes(80), from_customer=False),
        clocks.message_entry(START + minutes(200), from_customer=True),
    ]
    result = replay(entries)["next_response"]
    assert result.cycle == START + minutes(200) and result.met_at is None
    assert result.due_at == START + minutes(230)


def test_resolving_meets_resolution_and_reopening_resumes_it():
    entries = [
        clocks.status_entry(START + minutes(100), "resolved"),
        clocks.status_entry(START + minutes(1000), "open"),
    ]
    result = replay(entries)["resolution"]
    assert result.met_at is None
    assert result.due_at == START + minutes(1000 + 140)  # 140 of 240 minutes were left


def test_a_late_resolution_is_breached():
    result = replay([clocks.status_entry(START + minutes(300), "resolved")])["resolution"]
    assert result.late() and result.breached(START + minutes(301))
    assert result.due_at == START + minutes(240)


def test_the_alert_marks_carry_over_within_a_cycle_only():
    first = replay([])
    for clock in first.values():
        clock.warned = clock.alerted = clock.missed = True
    entries = [
        clocks.message_entry(START + minutes(5), from_customer=False),
        clocks.message_entry(START + minutes(6), from_customer=True),
    ]
    merged = clocks.merge(first, replay(entries))
    assert merged["first_response"].warned and merged["resolution"].alerted
    assert not merged["next_response"].warned  # a new wait: new alerts


def test_a_missed_target_keeps_the_due_time_it_was_missed_at():
    before = replay([])
    before["first_response"].missed = True
    faster = replay([], targets={**TARGETS, "first_response": 120})
    assert clocks.merge(before, faster)["first_response"].due_at == START + minutes(60)


def test_queue_keys_of_a_paused_ticket_have_no_due_time_and_no_alert():
    paused = replay([clocks.status_entry(START + minutes(10), "pending")])
    keys = clocks.queue_keys(paused, paused=True, now=START + minutes(100))
    assert (keys.next_breach_at, keys.at_risk_at, keys.breached, keys.next_alert_at) == (None, None, False, None)
    assert paused["resolution"].remaining == 230 * 60


def test_a_target_missed_before_the_pause_still_gets_its_alert():
    paused = replay([clocks.status_entry(START + minutes(70), "pending")])
    keys = clocks.queue_keys(paused, paused=True, now=START + minutes(100))
    assert keys.breached is True and keys.next_breach_at is None
    assert keys.next_alert_at == START + minutes(45)  # the warning, then the breach: the job catches up


def test_the_json_round_trip_keeps_every_field():
    for clock in replay([clocks.message_entry(START + minutes(5), from_customer=False)]).values():
        assert clocks.Clock.from_json(clock.to_json()) == clock
