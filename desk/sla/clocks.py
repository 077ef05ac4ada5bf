"""A ticket's SLA clocks, computed from its timeline: creation, public messages and status
changes. This is pure code, so every change and every re-evaluation gives the same answer
(`replay`), and the alert job's marks carry over from one evaluation to the next (`merge`).

- first response: counts from creation until the first public staff reply;
- next response: counts from a customer's message (once they have had a first response) until
  the next public staff reply;
- resolution: counts from creation until resolved or closed; reopening resumes it.
A clock counts business time only while the ticket is open or in progress: pending, resolved and
closed stop it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from desk.sla.hours import Calendar, add_business_seconds, business_seconds_between
from desk.sla.models import Target
from desk.support.models import Status

TARGETS: tuple[str, ...] = tuple(Target.values)
RUNNING_STATUSES = frozenset({Status.OPEN, Status.IN_PROGRESS})
DONE_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED})
AT_RISK_SHARE = 0.75  # past 75% of a target's time, it is at risk

CUSTOMER, STAFF, STATUS = "customer", "staff", "status"


@dataclass(frozen=True)
class Entry:
    """One moment of a ticket's timeline: a public message (the customer's or staff's) or a
    status change. Messages sort before a status change at the same instant (a customer's reply
    comes before the reopening it causes)."""

    at: datetime
    order: int
    kind: str
    status: str = ""


def message_entry(at: datetime, *, from_customer: bool) -> Entry:
    return Entry(at, 0, CUSTOMER if from_customer else STAFF)


def status_entry(at: datetime, status: str) -> Entry:
    return Entry(at, 1, STATUS, status)


@dataclass
class Clock:
    """One target's clock. `cycle` is when it started (None: a next response with nothing
    waiting); `elapsed` the business seconds counted before `since` (None: not counting now);
    `due_at`/`at_risk_at` the instants the target is (or was) reached and 75% of it, None when
    unknown (paused) or when the policy has no such target. `warned`, `alerted` and `missed` are
    the alert job's marks for this cycle."""

    name: str
    minutes: int | None = None
    cycle: datetime | None = None
    elapsed: float = 0.0
    since: datetime | None = None
    met_at: datetime | None = None
    due_at: datetime | None = None
    at_risk_at: datetime | None = None
    crossed_due: bool = False
    crossed_risk: bool = False
    remaining: float | None = None  # business seconds left when evaluated
    warned: bool = False
    alerted: bool = False
    missed: bool = False

    @property
    def seconds(self) -> float | None:
        return None if self.minutes is None else self.minutes * 60.0

    @property
    def met(self) -> bool:
        return self.met_at is not None

    @property
    def active(self) -> bool:
        """Started and not met: a target still to meet."""
        return self.cycle is not None and self.met_at is None

    def late(self) -> bool:
        return self.met_at is not None and self.due_at is not None and self.met_at > self.due_at

    def breached(self, now: datetime) -> bool:
        if self.minutes is None or self.cycle is None:
            return False
        if self.missed or self.late():
            return True
        return self.met_at is None and self.due_at is not None and self.due_at <= now

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = value.isoformat()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Clock:
        values = dict(data)
        for key in ("cycle", "since", "met_at", "due_at", "at_risk_at"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in values.items() if key in known})


@dataclass
class _Run:
    calendar: Calendar
    clocks: dict[str, Clock] = field(default_factory=dict)

    def start(self, clock: Clock, at: datetime) -> None:
        if clock.active and clock.since is None:
            clock.since = at

    def stop(self, clock: Clock, at: datetime) -> None:
        if clock.since is None:
            return
        seconds = business_seconds_between(self.calendar, clock.since, at)
        target = clock.seconds
        if target is not None:
            if not clock.crossed_risk and clock.elapsed + seconds >= target * AT_RISK_SHARE:
                clock.at_risk_at = self._reach(clock, target * AT_RISK_SHARE)
                clock.crossed_risk = True
            if not clock.crossed_due and clock.elapsed + seconds >= target:
                clock.due_at = self._reach(clock, target)
                clock.crossed_due = True
        clock.elapsed += seconds
        clock.since = None

    def _reach(self, clock: Clock, amount: float) -> datetime:
        assert clock.since is not None
        return add_business_seconds(self.calendar, clock.since, max(amount - clock.elapsed, 0.0))

    def project(self, clock: Clock, now: datetime) -> None:
        """Due and at-risk times of a clock as it stands: reached ones are kept; a counting clock
        reaches the rest at a known instant; a stopped one at none yet."""
        target = clock.seconds
        if target is None:
            clock.due_at = clock.at_risk_at = None
            return
        counting = clock.since is not None and clock.met_at is None
        if not clock.crossed_risk:
            clock.at_risk_at = self._reach(clock, target * AT_RISK_SHARE) if counting else None
        if not clock.crossed_due:
            clock.due_at = self._reach(clock, target) if counting else None
        spent = clock.elapsed
        if counting and clock.since is not None and now > clock.since:
            spent += business_seconds_between(self.calendar, clock.since, now)
        clock.remaining = max(target - spent, 0.0)

    def meet(self, clock: Clock, at: datetime) -> None:
        """The target is met at `at`: its due time is fixed as it stood then (for the record)."""
        if not clock.active:
            return
        if clock.since is not None and not clock.crossed_due and clock.seconds is not None:
            clock.due_at = self._reach(clock, clock.seconds)
        self.stop(clock, at)
        clock.met_at = at


def replay(
    *,
    calendar: Calendar,
    targets: Mapping[str, int | None],
    created_at: datetime,
    entries: Iterable[Entry],
    now: datetime,
) -> dict[str, Clock]:
    """The clocks of a ticket created at `created_at` with this timeline, under these targets
    (business minutes, None for a target the policy lacks), as they stand at `now`."""
    run = _Run(calendar, {name: Clock(name, targets.get(name)) for name in TARGETS})
    first, following, resolution = (run.clocks[name] for name in TARGETS)
    first.cycle = resolution.cycle = created_at
    run.start(first, created_at)
    run.start(resolution, created_at)
    running = True
    for entry in sorted(entries, key=lambda entry: (entry.at, entry.order)):  # stable: ties keep their order
        if entry.at < created_at:
            continue
        if entry.kind == CUSTOMER:
            if first.met and (following.cycle is None or following.met):
                run.clocks[following.name] = following = Clock(following.name, following.minutes, cycle=entry.at)
                if running:
                    run.start(following, entry.at)
        elif entry.kind == STAFF:
            run.meet(first, entry.at)
            run.meet(following, entry.at)
        elif entry.kind == STATUS:
            now_running = entry.status in RUNNING_STATUSES
            if entry.status in DONE_STATUSES:
                run.meet(resolution, entry.at)
            if running and not now_running:
                for clock in run.clocks.values():
                    run.stop(clock, entry.at)
            if now_running and not running:
                if resolution.met:  # reopened: the same resolution clock resumes
                    resolution.met_at = None
                    resolution.due_at = resolution.due_at if resolution.crossed_due else None
                for clock in run.clocks.values():
                    run.start(clock, entry.at)
            running = now_running
    for clock in run.clocks.values():
        if clock.active or clock.minutes is None:
            run.project(clock, now)
        else:
            clock.remaining = None if clock.seconds is None else max(clock.seconds - clock.elapsed, 0.0)
    return run.clocks


def merge(old: Mapping[str, Clock], new: dict[str, Clock]) -> dict[str, Clock]:
    """Carry the alert job's marks over to a new evaluation of the same cycle; a target already
    missed keeps the due time it was missed at."""
    for name, clock in new.items():
        before = old.get(name)
        if before is None or before.cycle != clock.cycle or clock.cycle is None:
            continue
        clock.warned, clock.alerted, clock.missed = before.warned, before.alerted, before.missed
        if before.missed and before.due_at is not None:
            clock.due_at = before.due_at
            clock.crossed_due = True
    return new


def load(data: Mapping[str, Any]) -> dict[str, Clock]:
    return {name: Clock.from_json(value) for name, value in data.items()}


def dump(clocks: Mapping[str, Clock]) -> dict[str, Any]:
    return {name: clock.to_json() for name, clock in clocks.items()}


@dataclass(frozen=True)
class QueueKeys:
    """What the queue sorts and filters on (`Ticket.sla_*`), and when the alert job next acts."""

    next_breach_at: datetime | None
    at_risk_at: datetime | None
    breached: bool
    next_alert_at: datetime | None


def queue_keys(clocks: Mapping[str, Clock], *, paused: bool, now: datetime) -> QueueKeys:
    targeted = [clock for clock in clocks.values() if clock.minutes is not None]
    unmet = [clock for clock in targeted if clock.active]
    due = [clock.due_at for clock in unmet if clock.due_at is not None]
    risk = [clock.at_risk_at for clock in unmet if clock.at_risk_at is not None]
    alerts = [clock.at_risk_at for clock in unmet if clock.at_risk_at is not None and not clock.warned]
    alerts += [clock.due_at for clock in unmet if clock.due_at is not None and not clock.alerted]
    return QueueKeys(
        next_breach_at=None if paused or not due else min(due),
        at_risk_at=None if paused or not risk else min(risk),
        breached=any(clock.breached(now) for clock in targeted),
        next_alert_at=min(alerts) if alerts else None,
    )
