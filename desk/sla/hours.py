"""Business-time arithmetic for SLA clocks: how much open time lies between two instants on a weekly
calendar in an IANA time zone with holidays, and when a given amount of it has passed, exactly
across daylight-saving changes. Pure functions: no Django, no database."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = [
    "WEEKDAYS",
    "Calendar",
    "InvalidCalendar",
    "add_business_seconds",
    "business_minutes_per_week",
    "business_seconds_between",
    "canonical_hours",
    "is_open",
    "parse_calendar",
]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

MINUTES_PER_DAY = 1440
ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
ONE_SECOND = timedelta(seconds=1)
# Holidays are finite, so open time always comes back; this bound only stops a calendar without
# any open time (which parse_calendar refuses) from searching forever.
SEARCH_LIMIT = timedelta(days=366 * 20)

Interval = tuple[int, int]
DayHours = tuple[Interval, ...]
Span = tuple[datetime, datetime]

_TIME = re.compile(r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Present in the tz database directory but not places: the host's own zone, a build artefact and
# the "no zone configured" placeholder.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


class InvalidCalendar(ValueError):
    """Calendar input refused; `errors` maps each field ("time_zone", "hours", "hours.<day>",
    "holidays") to the messages about it."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items()))


@dataclass(frozen=True)
class Calendar:
    """Weekly open hours (local wall clock, minutes from midnight, mon..sun) in `zone`, minus
    `holidays` (local dates)."""

    zone: ZoneInfo
    week: tuple[DayHours, ...]
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if not isinstance(self.zone, ZoneInfo):
            raise TypeError(f"zone must be a ZoneInfo, not {type(self.zone).__name__}.")
        week = tuple(tuple((int(start), int(end)) for start, end in day) for day in self.week)
        if len(week) != len(WEEKDAYS):
            raise ValueError(f"week needs {len(WEEKDAYS)} days (mon..sun), got {len(week)}.")
        for name, day in zip(WEEKDAYS, week, strict=True):
            previous_end = 0
            for start, end in day:
                if not 0 <= start < end <= MINUTES_PER_DAY or start < previous_end:
                    raise ValueError(f"{name}: intervals must be sorted, apart and within the day, got {day}.")
                previous_end = end
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "holidays", frozenset(self.holidays))

    @classmethod
    def always_open(cls) -> Calendar:
        return cls(zone=ZoneInfo("UTC"), week=(((0, MINUTES_PER_DAY),),) * len(WEEKDAYS))


# --- Validation -------------------------------------------------------------------------------


def parse_calendar(*, time_zone: str, hours: Mapping[str, Any], holidays: Iterable[Any] = ()) -> Calendar:
    """Validate the API's shapes and build a Calendar, reporting every problem at once through
    InvalidCalendar. Touching intervals are merged; a day left out is closed."""
    errors: dict[str, list[str]] = {}
    zone = _parse_zone(time_zone, errors)
    week = _parse_week(hours, errors)
    holiday_dates = _parse_holidays(holidays, errors)
    if errors:
        raise InvalidCalendar(errors)
    assert zone is not None and week is not None
    return Calendar(zone=zone, week=week, holidays=holiday_dates)


def _parse_zone(value: Any, errors: dict[str, list[str]]) -> ZoneInfo | None:
    if not isinstance(value, str) or not value.strip():
        errors["time_zone"] = [f"{value!r} is not a time zone; use an IANA name such as 'Europe/Berlin'."]
        return None
    if value in _NOT_PLACES or value not in _known_zones():
        errors["time_zone"] = [f"{value!r} is not a known IANA time zone."]
        return None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        errors["time_zone"] = [f"{value!r} is not a known IANA time zone."]
        return None


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _parse_week(hours: Any, errors: dict[str, list[str]]) -> tuple[DayHours, ...] | None:
    if not isinstance(hours, Mapping):
        errors["hours"] = ['Hours must map weekdays (mon … sun) to lists of ["HH:MM", "HH:MM"] intervals.']
        return None
    unknown = [key for key in hours if key not in WEEKDAYS]
    if unknown:
        errors["hours"] = [
            f"{key!r} is not a weekday; use {', '.join(WEEKDAYS[:-1])} or {WEEKDAYS[-1]}." for key in unknown
        ]
    week: list[DayHours] = []
    day_errors = False
    for name in WEEKDAYS:
        messages: list[str] = []
        week.append(_parse_day(hours.get(name, []), messages))
        if messages:
            errors[f"hours.{name}"] = messages
            day_errors = True
    if not unknown and not day_errors and not any(week):
        errors["hours"] = ["The week has no open time; give at least one interval."]
    return tuple(week)


def _parse_day(value: Any, messages: list[str]) -> DayHours:
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        messages.append(f'{value!r} is not a list of ["HH:MM", "HH:MM"] intervals.')
        return ()
    intervals: list[Interval] = []
    for item in value:
        if isinstance(item, str | bytes) or not isinstance(item, list | tuple) or len(item) != 2:
            messages.append(f'{item!r} is not an interval; use ["HH:MM", "HH:MM"].')
            continue
        start = _parse_time(item[0], messages, as_end=False)
        end = _parse_time(item[1], messages, as_end=True)
        if start is None or end is None:
            continue
        if end <= start:
            messages.append(f"{_span_text((start, end))} does not end after it starts.")
            continue
        intervals.append((start, end))
    intervals.sort()
    merged: list[Interval] = []
    furthest: Interval | None = None  # the given interval reaching latest so far, to name in overlaps
    for interval in intervals:
        start, end = interval
        if furthest is not None and start < furthest[1]:
            messages.append(f"{_span_text(furthest)} overlaps {_span_text(interval)}.")
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append(interval)
        if furthest is None or end > furthest[1]:
            furthest = interval
    return tuple(merged)


def _parse_time(value: Any, messages: list[str], *, as_end: bool) -> int | None:
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        messages.append(f"{value!r} is not a time; use HH:MM.")
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    if (hour, minute) == (24, 0):
        if as_end:
            return MINUTES_PER_DAY
        messages.append("'24:00' can only end an interval; start at '00:00' instead.")
        return None
    if hour > 23 or minute > 59:
        messages.append(f"{value!r} is not a time; use HH:MM.")
        return None
    return hour * 60 + minute


def _parse_holidays(values: Any, errors: dict[str, list[str]]) -> frozenset[date]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        errors["holidays"] = ["Holidays must be a list of dates in YYYY-MM-DD form."]
        return frozenset()
    days: set[date] = set()
    messages: list[str] = []
    for value in values:
        if isinstance(value, date) and not isinstance(value, datetime):
            days.add(value)
            continue
        parsed = None
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            messages.append(f"{value!r} is not a date; use YYYY-MM-DD.")
        else:
            days.add(parsed)
    if messages:
        errors["holidays"] = messages
    return frozenset(days)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _span_text(interval: Interval) -> str:
    return f"{_clock(interval[0])}–{_clock(interval[1])}"


def canonical_hours(calendar: Calendar) -> dict[str, list[list[str]]]:
    """The API's shape: every weekday present, ["HH:MM", "HH:MM"] intervals, "24:00" for midnight."""
    return {
        name: [[_clock(start), _clock(end)] for start, end in day]
        for name, day in zip(WEEKDAYS, calendar.week, strict=True)
    }


def business_minutes_per_week(calendar: Calendar) -> int:
    """Open minutes in a plain week: no holidays, no daylight-saving change."""
    return sum(end - start for day in calendar.week for start, end in day)


# --- Wall clock to instants -------------------------------------------------------------------


def _instant(zone: ZoneInfo, day: date, minute: int, *, fold: int) -> datetime:
    """The UTC instant of a local wall time. Ambiguous times take `fold` (0: first occurrence,
    1: last); times skipped by a spring-forward gap take the first instant after the gap."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minute)
    instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    return _gap_end(zone, wall)


def _gap_end(zone: ZoneInfo, wall: datetime) -> datetime:
    # In a gap, fold=0 reads the wall time at the offset before the jump and fold=1 at the offset
    # after it; the jump itself lies between the two readings. Tz transitions fall on whole seconds.
    readings = sorted(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    low, high = (int(reading.timestamp()) for reading in readings)
    offset_after = readings[1].astimezone(zone).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == offset_after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _open_spans(calendar: Calendar, day: date) -> list[Span]:
    """The real UTC spans of one local date's intervals (empty on holidays), in order. Spans of
    one date, or of neighbouring dates, may overlap around a fall-back change; callers count their
    union."""
    if day in calendar.holidays:
        return []
    spans = []
    for start, end in calendar.week[day.weekday()]:
        opens = _instant(calendar.zone, day, start, fold=0)
        closes = _instant(calendar.zone, day, end, fold=1)
        if closes > opens:
            spans.append((opens, closes))
    return spans


@lru_cache(maxsize=8192)
def _steady_offset(zone: ZoneInfo, monday: date) -> bool:
    """No offset change from the Sunday before to the Monday after this week (sampled at noon:
    a zone changing offset twice within one day would slip through, and none does)."""
    noon = time(12)
    offsets = {datetime.combine(monday + k * ONE_DAY, noon, tzinfo=zone).utcoffset() for k in range(-1, 8)}
    return len(offsets) == 1


def _plain_week(calendar: Calendar, monday: date) -> bool:
    """Whether this local week holds exactly `business_minutes_per_week` of real time, all of it
    between its first and last midnight."""
    if calendar.holidays and any(monday + k * ONE_DAY in calendar.holidays for k in range(7)):
        return False
    return _steady_offset(calendar.zone, monday)


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}.")
    return moment.astimezone(UTC)


def _local_date(calendar: Calendar, moment: datetime) -> date:
    return moment.astimezone(calendar.zone).date()


# --- Public arithmetic ------------------------------------------------------------------------


def add_business_seconds(calendar: Calendar, start: datetime, seconds: float) -> datetime:
    """The first instant (UTC) by which `seconds` of business time after `start` have passed."""
    cursor = _utc(start, "start")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}.")
    try:
        remaining = timedelta(microseconds=round(seconds * 1_000_000))
    except OverflowError:
        raise ValueError(f"{seconds!r} seconds is beyond any calendar.")
    if not remaining:
        return cursor
    weekly = timedelta(minutes=business_minutes_per_week(calendar))
    first = _local_date(calendar, cursor) - ONE_DAY
    limit = first + SEARCH_LIMIT
    day = first
    while day <= limit:
        # A whole plain week is consumed only when more than it is needed, so that an amount
        # ending exactly at the week's last close lands there and not at the next midnight.
        if day.weekday() == 0 and remaining > weekly and _plain_week(calendar, day):
            week_start = _instant(calendar.zone, day, 0, fold=0)
            if week_start >= cursor:
                # A plain week keeps one offset, so it lasts exactly seven days of real time.
                while remaining > weekly and day <= limit and _plain_week(calendar, day):
                    remaining -= weekly
                    week_start += ONE_WEEK
                    day += ONE_WEEK
                cursor = week_start
                continue
        for opens, closes in _open_spans(calendar, day):
            if closes <= cursor:
                continue
            opens = max(opens, cursor)
            if remaining <= closes - opens:
                return opens + remaining
            remaining -= closes - opens
            cursor = closes
        day += ONE_DAY
    raise ValueError(f"The calendar has too little business time within {SEARCH_LIMIT.days // 366} years of {start}.")


def business_seconds_between(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Business seconds in [start, end); 0 when end <= start."""
    cursor, stop = _utc(start, "start"), _utc(end, "end")
    if stop <= cursor:
        return 0.0
    total = timedelta(0)
    weekly = timedelta(minutes=business_minutes_per_week(calendar))
    last = _local_date(calendar, stop) + ONE_DAY
    day = _local_date(calendar, cursor) - ONE_DAY
    while day <= last:
        if day.weekday() == 0 and _plain_week(calendar, day):
            week_start = _instant(calendar.zone, day, 0, fold=0)
            if cursor <= week_start and week_start + ONE_WEEK <= stop:
                while week_start + ONE_WEEK <= stop and _plain_week(calendar, day):
                    total += weekly
                    week_start += ONE_WEEK
                    day += ONE_WEEK
                cursor = week_start
                continue
        for opens, closes in _open_spans(calendar, day):
            opens, closes = max(opens, cursor), min(closes, stop)
            if closes > opens:
                total += closes - opens
                cursor = closes
        day += ONE_DAY
    return total / ONE_SECOND


def is_open(calendar: Calendar, moment: datetime) -> bool:
    """Whether business time is running at `moment`."""
    instant = _utc(moment, "moment")
    local_day = _local_date(calendar, instant)
    return any(
        opens <= instant < closes
        for day in (local_day - ONE_DAY, local_day, local_day + ONE_DAY)
        for opens, closes in _open_spans(calendar, day)
    )
