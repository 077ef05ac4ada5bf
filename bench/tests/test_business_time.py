"""The generator's fast business-time arithmetic gives the instants and the float seconds of
`desk.sla.hours` (so the generated clocks are the product's)."""

from __future__ import annotations

import datetime as dt
import random

from bench import generate
from desk.sla import hours

UTC = dt.UTC


def _calendar() -> hours.Calendar:
    return hours.parse_calendar(
        time_zone=generate.KATHMANDU_CALENDAR["time_zone"],
        hours=generate.KATHMANDU_CALENDAR["hours"],
        holidays=generate.kathmandu_holidays(2025, 2027),
    )


def _at(us: int) -> dt.datetime:
    return generate.EPOCH + dt.timedelta(microseconds=us)


def test_office_hours_arithmetic_matches_the_product() -> None:
    calendar = _calendar()
    fast = generate.BusinessTime(calendar, first=dt.date(2025, 1, 1), last=dt.date(2027, 12, 31))
    rng = random.Random(3)
    start = generate.us_of(dt.datetime(2025, 2, 1, tzinfo=UTC).timestamp())
    for _ in range(400):
        a = start + rng.randrange(600 * 86_400_000_000)
        if rng.random() < 0.2:  # on the minute, where intervals open and close
            a -= a % 60_000_000
        b = a + rng.randrange(20 * 86_400_000_000)
        assert fast.between(a, b) == hours.business_seconds_between(calendar, _at(a), _at(b))
        seconds = rng.choice([0.0, 60.0, 1800.0, 14_400.0, 28_800.0, 144_000.0, 288_000.0, rng.random() * 300_000])
        assert _at(fast.add(a, seconds)) == hours.add_business_seconds(calendar, _at(a), seconds)
        back = fast.sub(b, seconds)
        assert abs(fast.between(back, b) - seconds) < 1e-6 or fast.between(back, b) == seconds


def test_always_open_arithmetic_matches_the_product() -> None:
    calendar = hours.Calendar.always_open()
    fast = generate.BusinessTime(None, first=dt.date(2025, 1, 1), last=dt.date(2027, 1, 1), always_open=True)
    a = generate.us_of(1_780_000_000.123456)
    for seconds in (0.0, 1800.0, 0.1 + 0.2, 14_399.999_999):
        assert _at(fast.add(a, seconds)) == hours.add_business_seconds(calendar, _at(a), seconds)
        assert fast.between(a, fast.add(a, seconds)) == hours.business_seconds_between(
            calendar, _at(a), _at(fast.add(a, seconds))
        )


def test_instants_are_written_as_the_product_writes_them() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        epoch = generate.quantized(1.7e9 + rng.random() * 1e8)
        if rng.random() < 0.1:
            epoch = float(int(epoch))
        assert generate.ts(epoch) == dt.datetime.fromtimestamp(epoch, UTC).isoformat()
        assert generate.iso_us(generate.us_of(epoch)) == _at(generate.us_of(epoch)).isoformat()
