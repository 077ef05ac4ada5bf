"""Business-time arithmetic: hand-checked examples (split shifts, midnight, holidays, daylight
saving in several zones), validation of the API's shapes, and round-trip properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.sla.hours import (
    WEEKDAYS,
    Calendar,
    InvalidCalendar,
    add_business_seconds,
    business_minutes_per_week,
    business_seconds_between,
    canonical_hours,
    is_open,
    parse_calendar,
)

HOUR = 3600.0
MICROSECOND = timedelta(microseconds=1)
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def calendar(time_zone: str = "UTC", holidays: tuple[str, ...] = (), **hours: list[list[str]]) -> Calendar:
    return parse_calendar(time_zone=time_zone, hours=hours, holidays=holidays)


def weekdays(*intervals: list[str]) -> dict[str, list[list[str]]]:
    return {day: list(intervals) for day in WEEKDAYS[:5]}


# --- Hand-checked examples ---------------------------------------------------------------------


def test_intervals_meeting_at_midnight_behave_as_one_stretch():
    late_and_early = calendar(mon=[["22:00", "24:00"]], tue=[["00:00", "02:00"]])
    monday_night = utc(2026, 1, 5, 22)  # 2026-01-05 is a Monday

    assert business_seconds_between(late_and_early, monday_night, utc(2026, 1, 6, 2)) == 4 * HOUR
    assert add_business_seconds(late_and_early, utc(2026, 1, 5, 21), 3 * HOUR) == utc(2026, 1, 6, 1)
    assert add_business_seconds(late_and_early, monday_night, 4 * HOUR) == utc(2026, 1, 6, 2)
    assert is_open(late_and_early, utc(2026, 1, 6, 0))
    assert not is_open(late_and_early, utc(2026, 1, 6, 2))


def test_split_day_skips_the_lunch_break():
    split = calendar(**weekdays(["09:00", "12:00"], ["13:00", "17:00"]))

    assert add_business_seconds(split, utc(2026, 1, 5, 11), 4 * HOUR) == utc(2026, 1, 5, 16)
    # Exactly reaching the morning's end lands there, not after lunch.
    assert add_business_seconds(split, utc(2026, 1, 5, 11), HOUR) == utc(2026, 1, 5, 12)
    assert business_seconds_between(split, utc(2026, 1, 5, 11), utc(2026, 1, 5, 16)) == 4 * HOUR
    assert not is_open(split, utc(2026, 1, 5, 12, 30))
    # Friday 16:00 plus 2 hours: one hour on Friday, one on Monday.
    assert add_business_seconds(split, utc(2026, 1, 9, 16), 2 * HOUR) == utc(2026, 1, 12, 10)


def test_holidays_have_no_business_time():
    berlin = calendar("Europe/Berlin", holidays=("2026-01-06",), **weekdays(["09:00", "17:00"]))
    monday_close = local(BERLIN, 2026, 1, 5, 17)

    assert add_business_seconds(berlin, monday_close, 8 * HOUR) == utc(2026, 1, 7, 16)  # Wed 17:00 CET
    assert business_seconds_between(berlin, utc(2026, 1, 5), utc(2026, 1, 8)) == 16 * HOUR
    assert not is_open(berlin, local(BERLIN, 2026, 1, 6, 10))


def test_a_holiday_is_a_local_date():
    kathmandu = calendar("Asia/Kathmandu", holidays=("2026-12-08",), **weekdays(["00:00", "24:00"]))
    # 20:00Z on the 7th is already 01:45 on the 8th in Kathmandu.
    assert not is_open(kathmandu, utc(2026, 12, 7, 20))
    assert is_open(kathmandu, utc(2026, 12, 7, 18))
    # 18:00Z is 23:45 local: 15 minutes on the 7th, then from the 9th's midnight (18:15Z on the 8th).
    assert add_business_seconds(kathmandu, utc(2026, 12, 7, 18), HOUR) == utc(2026, 12, 8, 19)


def test_one_open_hour_a_week():
    wednesday_hour = calendar(wed=[["10:00", "11:00"]])
    monday = utc(2026, 1, 5)

    assert add_business_seconds(wednesday_hour, monday, HOUR) == utc(2026, 1, 7, 11)
    # Three full hours end with the third Wednesday's hour (7th, 14th, 21st).
    assert add_business_seconds(wednesday_hour, monday, 3 * HOUR) == utc(2026, 1, 21, 11)
    assert add_business_seconds(wednesday_hour, monday, 2.5 * HOUR) == utc(2026, 1, 21, 10, 30)
    assert business_seconds_between(wednesday_hour, monday, utc(2026, 1, 21, 10, 30)) == 2.5 * HOUR


def test_ten_thousand_minutes_on_one_hour_a_week_land_on_the_right_wednesday():
    """Not timed: 166 whole hours and 40 minutes are 166 whole weeks after the first Wednesday,
    2026-01-07 + 1162 days = 2029-03-14, at 10:40 local."""
    ten_thousand_minutes = 10_000 * 60.0
    in_utc = calendar(wed=[["10:00", "11:00"]])
    in_new_york = calendar("America/New_York", wed=[["10:00", "11:00"]])
    monday = utc(2026, 1, 5)

    assert add_business_seconds(in_utc, monday, ten_thousand_minutes) == utc(2029, 3, 14, 10, 40)
    # Across six daylight-saving changes; 2029-03-14 is already EDT (-4).
    assert add_business_seconds(in_new_york, monday, ten_thousand_minutes) == utc(2029, 3, 14, 14, 40)
    assert business_seconds_between(in_new_york, monday, utc(2029, 3, 14, 14, 40)) == ten_thousand_minutes


def test_kathmandu_quarter_hour_offset():
    kathmandu = calendar("Asia/Kathmandu", **weekdays(["09:00", "17:00"]))
    nine_local = utc(2026, 12, 7, 3, 15)  # Monday 09:00 +05:45

    assert add_business_seconds(kathmandu, nine_local, HOUR) == utc(2026, 12, 7, 4, 15)
    assert add_business_seconds(kathmandu, nine_local, 8 * HOUR) == utc(2026, 12, 7, 11, 15)
    assert add_business_seconds(kathmandu, nine_local, 9 * HOUR) == utc(2026, 12, 8, 4, 15)


@pytest.mark.parametrize(
    ("time_zone", "sunday", "hours"),
    [
        ("America/New_York", date(2026, 3, 8), 23),
        ("America/New_York", date(2026, 11, 1), 25),
        ("Europe/Berlin", date(2026, 3, 29), 23),
        ("Europe/Berlin", date(2026, 10, 25), 25),
        ("Australia/Lord_Howe", date(2026, 10, 4), 23.5),
        ("Australia/Lord_Howe", date(2026, 4, 5), 24.5),
        ("Pacific/Chatham", date(2026, 9, 27), 23),
        ("Pacific/Chatham", date(2026, 4, 5), 25),
        ("Asia/Kathmandu", date(2026, 3, 8), 24),
    ],
)
def test_a_whole_day_lasts_what_the_clock_change_makes_it(time_zone: str, sunday: date, hours: float):
    sundays = calendar(time_zone, sun=[["00:00", "24:00"]])
    zone = ZoneInfo(time_zone)

    def midnight(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), tzinfo=zone)

    monday_before, monday_after = midnight(sunday - timedelta(days=6)), midnight(sunday + timedelta(days=1))
    assert business_seconds_between(sundays, monday_before, monday_after) == hours * HOUR
    assert add_business_seconds(sundays, monday_before, hours * HOUR) == monday_after
    assert add_business_seconds(sundays, midnight(sunday), hours * HOUR) == monday_after


def test_new_york_spring_forward():
    one_to_four = calendar("America/New_York", sun=[["01:00", "04:00"]])
    # 01:00 EST is 06:00Z and 04:00 EDT is 08:00Z: two real hours.
    assert business_seconds_between(one_to_four, utc(2026, 3, 8), utc(2026, 3, 9)) == 2 * HOUR
    assert add_business_seconds(one_to_four, utc(2026, 3, 8), 1.5 * HOUR) == utc(2026, 3, 8, 7, 30)

    # 02:30 does not exist that day; the interval opens when the clock reads 03:00 EDT.
    from_the_gap = calendar("America/New_York", sun=[["02:30", "04:00"]])
    assert business_seconds_between(from_the_gap, utc(2026, 3, 8), utc(2026, 3, 9)) == HOUR
    assert not is_open(from_the_gap, utc(2026, 3, 8, 6, 59))
    assert is_open(from_the_gap, utc(2026, 3, 8, 7))
    assert add_business_seconds(from_the_gap, utc(2026, 3, 8), 60) == utc(2026, 3, 8, 7, 1)

    inside_the_gap = calendar("America/New_York", sun=[["02:10", "02:50"]], mon=[["09:00", "10:00"]])
    assert business_seconds_between(inside_the_gap, utc(2026, 3, 8), utc(2026, 3, 9)) == 0
    assert add_business_seconds(inside_the_gap, utc(2026, 3, 8), 60) == local(NEW_YORK, 2026, 3, 9, 9, 1)
    # A week later the same interval is 40 ordinary minutes.
    assert business_seconds_between(inside_the_gap, utc(2026, 3, 15), utc(2026, 3, 16)) == 40 * 60


def test_new_york_fall_back():
    # 01:00 opens at its first occurrence (EDT), 02:00 is after the repeat (EST): two real hours.
    one_to_two = calendar("America/New_York", sun=[["01:00", "02:00"]])
    assert business_seconds_between(one_to_two, utc(2026, 11, 1), utc(2026, 11, 2)) == 2 * HOUR

    # Both ends inside the repeated hour: from the first 01:30 to the last 01:45.
    repeated = calendar("America/New_York", sun=[["01:30", "01:45"]])
    assert business_seconds_between(repeated, utc(2026, 11, 1), utc(2026, 11, 2)) == 1.25 * HOUR
    # The second 01:30 (EST); compared in UTC, as ambiguous local times never equal other zones'.
    assert add_business_seconds(repeated, utc(2026, 11, 1), HOUR) == utc(2026, 11, 1, 6, 30)

    # The first interval's last 01:30 is after the second's first 01:45: the union counts once,
    # 00:00 EDT (04:00Z) to 03:00 EST (08:00Z).
    overlapping_in_real_time = calendar("America/New_York", sun=[["00:00", "01:30"], ["01:45", "03:00"]])
    day = (utc(2026, 11, 1), utc(2026, 11, 2))
    assert business_seconds_between(overlapping_in_real_time, *day) == 4 * HOUR
    assert add_business_seconds(overlapping_in_real_time, utc(2026, 11, 1), 4 * HOUR) == utc(2026, 11, 1, 8)
    assert is_open(overlapping_in_real_time, utc(2026, 11, 1, 6, 40))


def test_berlin_clock_changes():
    sundays = calendar("Europe/Berlin", sun=[["00:00", "24:00"]])
    sunday_midnight = local(BERLIN, 2026, 3, 29)  # 23:00Z the day before
    assert add_business_seconds(sundays, sunday_midnight, 2 * HOUR) == utc(2026, 3, 29, 1)  # 03:00 CEST

    skipped_hour = calendar("Europe/Berlin", sun=[["02:00", "03:00"]], mon=[["00:00", "00:01"]])
    assert business_seconds_between(skipped_hour, utc(2026, 3, 28), utc(2026, 3, 30)) == 60
    repeated_hour = calendar("Europe/Berlin", sun=[["02:00", "03:00"]])
    # 02:00 CEST (00:00Z) to 03:00 CET (02:00Z).
    assert business_seconds_between(repeated_hour, utc(2026, 10, 24), utc(2026, 10, 26)) == 2 * HOUR


def test_zero_negative_and_naive():
    split = calendar(**weekdays(["09:00", "17:00"]))
    saturday = local(NEW_YORK, 2026, 1, 10, 12)

    assert add_business_seconds(split, saturday, 0) == saturday
    assert add_business_seconds(split, saturday, 0).tzinfo is UTC
    assert add_business_seconds(split, saturday, 1).tzinfo is UTC
    with pytest.raises(ValueError):
        add_business_seconds(split, saturday, -1)
    with pytest.raises(ValueError):
        add_business_seconds(split, saturday, float("nan"))
    with pytest.raises(ValueError):
        add_business_seconds(split, datetime(2026, 1, 10), 60)
    with pytest.raises(ValueError):
        business_seconds_between(split, datetime(2026, 1, 10), saturday)
    assert business_seconds_between(split, saturday, saturday) == 0
    assert business_seconds_between(split, saturday, saturday - timedelta(days=3)) == 0


def test_searching_stops_after_twenty_years():
    never_open = Calendar(zone=ZoneInfo("UTC"), week=((),) * 7)
    with pytest.raises(ValueError):
        add_business_seconds(never_open, utc(2026, 1, 1), 1)
    with pytest.raises(ValueError):
        add_business_seconds(calendar(wed=[["10:00", "11:00"]]), utc(2026, 1, 1), 30 * 53 * HOUR)
    assert business_seconds_between(never_open, utc(2026, 1, 1), utc(2030, 1, 1)) == 0


def test_always_open():
    always = Calendar.always_open()
    assert always.zone == ZoneInfo("UTC")
    assert business_minutes_per_week(always) == 7 * 24 * 60
    assert add_business_seconds(always, utc(2026, 5, 5, 12), 90) == utc(2026, 5, 5, 12, 1, 30)
    assert business_seconds_between(always, utc(2026, 1, 1), utc(2027, 1, 1)) == 365 * 24 * HOUR
    assert is_open(always, utc(2026, 2, 3, 4, 5))


def test_calendar_refuses_a_malformed_week():
    with pytest.raises(ValueError):
        Calendar(zone=ZoneInfo("UTC"), week=((),) * 6)
    with pytest.raises(ValueError):
        Calendar(zone=ZoneInfo("UTC"), week=(((600, 540),),) + ((),) * 6)
    with pytest.raises(ValueError):
        Calendar(zone=ZoneInfo("UTC"), week=(((540, 720), (700, 800)),) + ((),) * 6)


def test_minutes_per_week_and_canonical_hours():
    split = calendar("Asia/Kathmandu", mon=[["13:00", "17:00"], ["09:00", "12:00"]], sun=[["22:00", "24:00"]])
    assert business_minutes_per_week(split) == 9 * 60
    assert canonical_hours(split) == {
        "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
        "tue": [],
        "wed": [],
        "thu": [],
        "fri": [],
        "sat": [],
        "sun": [["22:00", "24:00"]],
    }
    assert parse_calendar(time_zone="Asia/Kathmandu", hours=canonical_hours(split)) == split


# --- Validation --------------------------------------------------------------------------------


def errors_of(**arguments: object) -> dict[str, list[str]]:
    arguments.setdefault("time_zone", "UTC")
    arguments.setdefault("hours", {"mon": [["09:00", "17:00"]]})
    with pytest.raises(InvalidCalendar) as refused:
        parse_calendar(**arguments)  # type: ignore[arg-type]
    assert isinstance(refused.value, ValueError)
    return refused.value.errors


@pytest.mark.parametrize(
    "time_zone", ["", " ", "../etc", "/etc/localtime", "Mars/Olympus", "America", "utc", "localtime", None, 5]
)
def test_bad_time_zone(time_zone: object):
    assert list(errors_of(time_zone=time_zone)) == ["time_zone"]


def test_time_zone_message_names_the_value():
    assert errors_of(time_zone="Mars/Olympus") == {"time_zone": ["'Mars/Olympus' is not a known IANA time zone."]}


def test_valid_time_zones():
    for name in ("America/New_York", "Asia/Kathmandu", "Pacific/Chatham", "UTC", "Etc/GMT+5"):
        assert parse_calendar(time_zone=name, hours={"fri": [["09:00", "10:00"]]}).zone == ZoneInfo(name)


def test_overlap_is_reported_with_both_intervals():
    errors = errors_of(hours={"mon": [["11:00", "13:00"], ["09:00", "12:00"]]})
    assert errors == {"hours.mon": ["09:00–12:00 overlaps 11:00–13:00."]}


def test_touching_intervals_merge():
    merged = parse_calendar(
        time_zone="UTC", hours={"mon": [["12:00", "13:00"], ["09:00", "12:00"], ["13:00", "14:00"]]}
    )
    assert merged.week[0] == ((9 * 60, 14 * 60),)
    assert canonical_hours(merged)["mon"] == [["09:00", "14:00"]]


def test_24_00_only_as_an_end():
    whole_day = parse_calendar(time_zone="UTC", hours={"tue": [["00:00", "24:00"]]})
    assert whole_day.week[1] == ((0, 1440),)
    assert errors_of(hours={"tue": [["24:00", "24:00"]]}) == {
        "hours.tue": ["'24:00' can only end an interval; start at '00:00' instead."]
    }


@pytest.mark.parametrize(
    ("interval", "message"),
    [
        (["25:00", "23:00"], "'25:00' is not a time; use HH:MM."),
        (["9:00", "17:00"], "'9:00' is not a time; use HH:MM."),
        (["09:00", "12:60"], "'12:60' is not a time; use HH:MM."),
        (["09:00", 1700], "1700 is not a time; use HH:MM."),
        (["17:00", "09:00"], "17:00–09:00 does not end after it starts."),
        (["09:00", "09:00"], "09:00–09:00 does not end after it starts."),
        (["09:00"], '[\'09:00\'] is not an interval; use ["HH:MM", "HH:MM"].'),
        ("09:00-17:00", '\'09:00-17:00\' is not an interval; use ["HH:MM", "HH:MM"].'),
    ],
)
def test_bad_interval(interval: object, message: str):
    errors = errors_of(hours={"mon": [["06:00", "07:00"]], "wed": [interval]})
    assert errors == {"hours.wed": [message]}


def test_day_must_be_a_list():
    assert list(errors_of(hours={"mon": "09:00-17:00"})) == ["hours.mon"]
    assert list(errors_of(hours={"mon": [["09:00", "10:00"]], "tue": None})) == ["hours.tue"]


def test_unknown_day_and_bad_mapping():
    assert errors_of(hours={"mon": [["09:00", "17:00"]], "funday": []}) == {
        "hours": ["'funday' is not a weekday; use mon, tue, wed, thu, fri, sat or sun."]
    }
    assert list(errors_of(hours=[["09:00", "17:00"]])) == ["hours"]


@pytest.mark.parametrize("hours", [{}, {day: [] for day in WEEKDAYS}])
def test_empty_week(hours: dict):
    assert errors_of(hours=hours) == {"hours": ["The week has no open time; give at least one interval."]}


@pytest.mark.parametrize(
    "holiday", ["2026-02-30", "next monday", "20261021", "2026-W43-3", "", 20261021, datetime(2026, 1, 1)]
)
def test_bad_holiday(holiday: object):
    errors = errors_of(holidays=["2026-01-01", holiday])
    assert list(errors) == ["holidays"]
    assert repr(holiday) in errors["holidays"][0]


def test_holidays_must_be_a_list():
    assert list(errors_of(holidays="2026-01-01")) == ["holidays"]


def test_holidays_collapse_and_accept_dates():
    parsed = parse_calendar(
        time_zone="UTC", hours={"mon": [["09:00", "17:00"]]}, holidays=["2026-01-01", date(2026, 1, 1), "2026-12-25"]
    )
    assert parsed.holidays == frozenset({date(2026, 1, 1), date(2026, 12, 25)})


def test_all_problems_reported_at_once():
    errors = errors_of(
        time_zone="../etc",
        hours={"mon": [["09:00", "12:00"], ["11:00", "13:00"]], "tue": [["24:00", "24:00"]], "noday": []},
        holidays=["2026-13-01", "2026-01-01", "soon"],
    )
    assert errors == {
        "time_zone": ["'../etc' is not a known IANA time zone."],
        "hours": ["'noday' is not a weekday; use mon, tue, wed, thu, fri, sat or sun."],
        "hours.mon": ["09:00–12:00 overlaps 11:00–13:00."],
        "hours.tue": ["'24:00' can only end an interval; start at '00:00' instead."],
        "holidays": ["'2026-13-01' is not a date; use YYYY-MM-DD.", "'soon' is not a date; use YYYY-MM-DD."],
    }


def test_several_problems_in_one_day():
    errors = errors_of(hours={"fri": [["08:00", "07:00"], ["10:00", "12:00"], ["11:00", "11:30"], ["xx", "12:00"]]})
    assert errors == {
        "hours.fri": [
            "08:00–07:00 does not end after it starts.",
            "'xx' is not a time; use HH:MM.",
            "10:00–12:00 overlaps 11:00–11:30.",
        ]
    }


# --- Properties --------------------------------------------------------------------------------

ZONES = ("America/New_York", "Europe/Berlin", "Asia/Kathmandu", "Australia/Lord_Howe", "UTC", "Pacific/Chatham")
FIRST, LAST = datetime(2024, 1, 1), datetime(2031, 1, 1)


def _clock_changes(zone: ZoneInfo) -> list[datetime]:
    """Local noons just after each offset change, to aim starts at daylight-saving weeks."""
    changes, day = [], FIRST
    previous = day.replace(tzinfo=zone).utcoffset()
    while day < LAST:
        offset = (day + timedelta(hours=12)).replace(tzinfo=zone).utcoffset()
        if offset != previous:
            changes.append((day + timedelta(hours=12)).replace(tzinfo=zone))
            previous = offset
        day += timedelta(days=1)
    return changes


CLOCK_CHANGES = {name: _clock_changes(ZoneInfo(name)) for name in ZONES}
# Minutes where clocks change or that straddle a change, drawn often so that DST edges are hit.
EDGE_MINUTES = (0, 60, 90, 105, 120, 150, 165, 180, 195, 225, 240, 1380, 1410, 1440)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _pairs(cuts: list[int]) -> list[list[str]]:
    # Pairing sorted distinct cuts gives intervals that neither overlap nor touch.
    cuts = sorted(cuts)
    return [[_clock(start), _clock(end)] for start, end in zip(cuts[::2], cuts[1::2], strict=False)]


DAY_HOURS = st.lists(st.one_of(st.integers(0, 1440), st.sampled_from(EDGE_MINUTES)), max_size=6, unique=True).map(
    _pairs
)
WEEK_HOURS = st.fixed_dictionaries(dict.fromkeys(WEEKDAYS, DAY_HOURS)).filter(lambda hours: any(hours.values()))
HOLIDAY_OFFSETS = st.lists(st.integers(-2, 45), max_size=8)
ANYWHERE = st.datetimes(
    min_value=FIRST, max_value=LAST, timezones=st.sampled_from([UTC, NEW_YORK]), allow_imaginary=False
)


def _near(changes: list[datetime]) -> st.SearchStrategy[datetime]:
    shifts = st.timedeltas(min_value=timedelta(days=-10), max_value=timedelta(days=3))
    return st.builds(lambda change, shift: (change + shift).astimezone(UTC), st.sampled_from(changes), shifts)


# Aware starts, some local to New York, many in the days around a clock change of the calendar's
# zone. Tests offset them in UTC: adding to a local datetime moves its wall clock, which around a
# clock change is not the same as moving in time.
STARTS = {name: st.one_of(ANYWHERE, _near(changes)) if changes else ANYWHERE for name, changes in CLOCK_CHANGES.items()}


@st.composite
def calendars_and_starts(draw: st.DrawFn) -> tuple[Calendar, datetime]:
    time_zone = draw(st.sampled_from(ZONES))
    start = draw(STARTS[time_zone])
    local_start = start.astimezone(ZoneInfo(time_zone)).date()
    holidays = [(local_start + timedelta(days=offset)).isoformat() for offset in draw(HOLIDAY_OFFSETS)]
    return parse_calendar(time_zone=time_zone, hours=draw(WEEK_HOURS), holidays=holidays), start


def business_amounts(calendar: Calendar) -> st.SearchStrategy[float]:
    weekly = business_minutes_per_week(calendar) * 60
    return st.one_of(
        st.integers(0, 3 * weekly * 1_000_000).map(lambda micros: micros / 1_000_000),
        st.integers(0, 3 * weekly // 60).map(lambda minutes: minutes * 60.0),
    )


PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_adding_then_measuring_gives_the_amount_back(data: st.DataObject):
    calendar, start = data.draw(calendars_and_starts())
    amount = data.draw(business_amounts(calendar))

    end = add_business_seconds(calendar, start, amount)

    assert end.tzinfo is UTC
    assert end >= start
    assert abs(business_seconds_between(calendar, start, end) - amount) <= 1e-6
    if amount > 0:
        # The first such instant: a microsecond earlier is not enough.
        assert business_seconds_between(calendar, start, end - MICROSECOND) < amount
        assert is_open(calendar, end - MICROSECOND)


@PROPERTY
@given(data=st.data())
def test_measuring_then_adding_finds_the_first_moment(data: st.DataObject):
    calendar, start = data.draw(calendars_and_starts())
    end = start.astimezone(UTC) + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=5)))

    measured = business_seconds_between(calendar, start, end)
    reached = add_business_seconds(calendar, start, measured)

    assert reached <= end
    assert abs(business_seconds_between(calendar, start, reached) - measured) <= 1e-6
    if measured > 0:
        assert business_seconds_between(calendar, start, reached - MICROSECOND) < measured
    if end > start and is_open(calendar, end - MICROSECOND):
        assert reached == end


@PROPERTY
@given(data=st.data())
def test_measuring_is_additive(data: st.DataObject):
    calendar, start = data.draw(calendars_and_starts())
    middle = start.astimezone(UTC) + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=4)))
    end = middle + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=4)))

    whole = business_seconds_between(calendar, start, end)
    parts = business_seconds_between(calendar, start, middle) + business_seconds_between(calendar, middle, end)

    assert abs(parts - whole) <= 1e-6


@PROPERTY
@given(data=st.data())
def test_whole_weeks_skipped_at_once_match_day_by_day(data: st.DataObject):
    """Pieces shorter than a week never take the whole-week shortcut; their sum must agree."""
    calendar, start = data.draw(calendars_and_starts())
    pieces = data.draw(st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)), max_size=30))
    bounds = [start.astimezone(UTC)]
    for piece in pieces:
        bounds.append(bounds[-1] + piece)

    in_pieces = sum(round(business_seconds_between(calendar, low, high) * 1_000_000) for low, high in pairwise(bounds))

    assert in_pieces == round(business_seconds_between(calendar, bounds[0], bounds[-1]) * 1_000_000)


@PROPERTY
@given(data=st.data())
def test_open_exactly_when_business_time_runs(data: st.DataObject):
    calendar, start = data.draw(calendars_and_starts())
    moment = start.astimezone(UTC) + data.draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=8)))

    runs = business_seconds_between(calendar, moment, moment + MICROSECOND) > 0

    assert is_open(calendar, moment) == runs


def _first_showing(clock: list[tuple[datetime, datetime]], wall: datetime) -> datetime:
    return min(instant for instant, shown in clock if shown >= wall)


def _last_showing(clock: list[tuple[datetime, datetime]], wall: datetime) -> datetime:
    showing = [instant for instant, shown in clock if shown == wall]
    return max(showing) if showing else _first_showing(clock, wall)


def _reference_spans(calendar: Calendar, day: date) -> list[tuple[datetime, datetime]]:
    """The definition, by brute force over whole minutes (every clock change here falls on one):
    an interval opens at the first instant its start is on the wall clock and closes at the last
    instant its end is; a wall time that never shows (a spring-forward gap) stands for the first
    instant after it."""
    spans = []
    for start, end in calendar.week[day.weekday()]:
        opening, closing = (datetime.combine(day, datetime.min.time()) + timedelta(minutes=m) for m in (start, end))
        guess = opening.replace(tzinfo=calendar.zone).astimezone(UTC)
        instants = (guess + timedelta(minutes=k) for k in range(-240, 240 + end - start))
        clock = [(instant, instant.astimezone(calendar.zone).replace(tzinfo=None)) for instant in instants]
        opens, closes = _first_showing(clock, opening), _last_showing(clock, closing)
        if closes > opens:
            spans.append((opens, closes))
    return spans


@settings(max_examples=75, deadline=None)
@given(data=st.data())
def test_daylight_saving_days_match_the_wall_clock_definition(data: st.DataObject):
    time_zone = data.draw(st.sampled_from([name for name in ZONES if CLOCK_CHANGES[name]]))
    calendar = parse_calendar(time_zone=time_zone, hours=data.draw(WEEK_HOURS))
    change_day = data.draw(st.sampled_from(CLOCK_CHANGES[time_zone])).date()
    window_start = datetime.combine(change_day - timedelta(days=1), datetime.min.time(), tzinfo=calendar.zone)
    window = (window_start.astimezone(UTC), (window_start + timedelta(days=3)).astimezone(UTC))

    covered: list[tuple[datetime, datetime]] = []
    for day in (change_day + timedelta(days=k) for k in range(-2, 3)):
        covered.extend(_reference_spans(calendar, day))
    expected, reached = timedelta(0), window[0]
    for opens, closes in sorted(covered):
        opens, closes = max(opens, reached, window[0]), min(closes, window[1])
        if closes > opens:
            expected += closes - opens
            reached = closes

    assert business_seconds_between(calendar, *window) == expected.total_seconds()
