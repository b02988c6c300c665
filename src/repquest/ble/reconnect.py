"""When to try reconnecting, and when to give up: an explicit, seeded, bounded exponential backoff."""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["Backoff", "ReconnectPolicy"]


@dataclass(frozen=True, slots=True)
class ReconnectPolicy:
    """Bounded exponential backoff with jitter.

    The delay before attempt k (1-based) is ``min(max_delay_s, initial_delay_s * multiplier**(k-1))``, scaled
    by a random factor in ``[1 - jitter, 1 + jitter]`` (so pucks that dropped together do not retry in
    lock-step). Reconnecting gives up after ``max_attempts`` attempts or once ``max_total_s`` seconds have
    passed since the link dropped, whichever comes first (None: no such limit).

    Args:
        initial_delay_s: delay before the first attempt, seconds.
        max_delay_s: cap on any one delay, seconds.
        multiplier: growth factor per attempt (>= 1).
        jitter: relative jitter, 0..1.
        max_attempts: attempts before giving up.
        max_total_s: seconds after the drop before giving up.
        seed: seeds the jitter; None draws a fresh seed.
    """

    initial_delay_s: float = 0.25
    max_delay_s: float = 8.0
    multiplier: float = 2.0
    jitter: float = 0.2
    max_attempts: int | None = 20
    max_total_s: float | None = 120.0
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.initial_delay_s < 0 or self.max_delay_s < self.initial_delay_s:
            raise ValueError("need 0 <= initial_delay_s <= max_delay_s")
        if self.multiplier < 1 or not 0 <= self.jitter <= 1:
            raise ValueError("need multiplier >= 1 and 0 <= jitter <= 1")
        if self.max_attempts is not None and self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def start(self) -> Backoff:
        """A fresh backoff sequence for one outage."""
        return Backoff(self)

    @classmethod
    def never(cls) -> ReconnectPolicy:
        """Do not reconnect: the first drop ends the session."""
        return cls(max_attempts=1, max_total_s=0.0, jitter=0.0)


class Backoff:
    """The state of one outage's reconnect attempts."""

    def __init__(self, policy: ReconnectPolicy) -> None:
        self.policy = policy
        self.attempt = 0
        self._rng = random.Random(policy.seed)

    def next_delay(self, elapsed_s: float) -> float | None:
        """Seconds to wait before the next attempt, or None to give up.

        Args:
            elapsed_s: seconds since the link dropped.
        """
        p = self.policy
        if p.max_attempts is not None and self.attempt >= p.max_attempts:
            return None
        base = min(p.max_delay_s, p.initial_delay_s * p.multiplier**self.attempt)
        delay = base * (1.0 + p.jitter * (2.0 * self._rng.random() - 1.0))
        if p.max_total_s is not None and elapsed_s + delay > p.max_total_s:
            return None
        self.attempt += 1
        return delay
