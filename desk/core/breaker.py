"""A small circuit breaker for optional infrastructure (cache, broker, channel layer).

When Redis is down, every call would wait for its connection timeout; after one failure the
breaker skips the part for a short cool-down, so requests keep their normal speed while the
product degrades (no rate limit, emails wait in their delivery records, no live updates)."""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class Breaker:
    def __init__(self, name: str, cooldown: float = 5.0) -> None:
        self.name = name
        self.cooldown = cooldown
        self._open_until = 0.0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        return time.monotonic() >= self._open_until

    def failed(self) -> None:
        with self._lock:
            already_open = time.monotonic() < self._open_until
            self._open_until = time.monotonic() + self.cooldown
        if not already_open:
            logger.warning("%s is unavailable; skipping it for %.0f s.", self.name, self.cooldown)

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


cache_breaker = Breaker("The cache (rate limits)")
broker_breaker = Breaker("The task broker", cooldown=10.0)
channel_breaker = Breaker("The channel layer (live updates)")
