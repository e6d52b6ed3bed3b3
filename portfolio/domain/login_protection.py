"""How failed sign-ins slow down and stop further attempts (OWASP ASVS 6.1.1, 6.3.1).

Failures are counted per account (the typed e-mail, known or not, so that the answer never tells
whether an account exists) and per client address. A few failures are free; after that each new
attempt has to wait a growing delay, and at the lock limit the account or address is locked for a
while. Nothing locks for ever: a lock runs out by itself, and the admin can lift it sooner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class ThrottlePolicy:
    """The limits for one scope (account or address)."""

    free_failures: int  # failures before any delay
    lock_after: int  # failures that lock
    first_delay: dt.timedelta  # the delay after the first failure past the free ones; doubles each time
    max_delay: dt.timedelta
    lock_duration: dt.timedelta
    window: dt.timedelta  # failures older than this (since the last one) are forgotten


ACCOUNT_POLICY = ThrottlePolicy(
    free_failures=3, lock_after=10, first_delay=dt.timedelta(seconds=2), max_delay=dt.timedelta(minutes=2),
    lock_duration=dt.timedelta(minutes=30), window=dt.timedelta(hours=1),
)
# An address may be a school's shared connection: more room before delays, a higher lock limit.
ADDRESS_POLICY = ThrottlePolicy(
    free_failures=10, lock_after=100, first_delay=dt.timedelta(seconds=2), max_delay=dt.timedelta(minutes=2),
    lock_duration=dt.timedelta(minutes=30), window=dt.timedelta(hours=1),
)
POLICIES = {ACCOUNT: ACCOUNT_POLICY, ADDRESS: ADDRESS_POLICY}


def delay_after(failures: int, policy: ThrottlePolicy) -> dt.timedelta:
    """How long the next attempt must wait after `failures` failures in a row: 0, then 2, 4, 8 s ..."""
    extra = failures - policy.free_failures
    if extra < 0:
        return dt.timedelta(0)
    return min(policy.first_delay * (2 ** min(extra, 30)), policy.max_delay)


def is_forgotten(last_failure_at: dt.datetime, now: dt.datetime, policy: ThrottlePolicy) -> bool:
    """Whether failures ending at `last_failure_at` are old enough to start counting afresh."""
    return now - last_failure_at >= policy.window


def next_attempt_at(
    failures: int,
    last_failure_at: dt.datetime,
    locked_until: dt.datetime | None,
    now: dt.datetime,
    policy: ThrottlePolicy,
) -> dt.datetime | None:
    """When the next attempt is allowed, or None when it is allowed now."""
    if locked_until is not None and locked_until > now:
        return locked_until
    if locked_until is None and is_forgotten(last_failure_at, now, policy):
        return None
    if locked_until is not None:  # a lock that has run out starts a fresh count
        return None
    allowed = last_failure_at + delay_after(failures, policy)
    return allowed if allowed > now else None


def locks_now(failures: int, policy: ThrottlePolicy) -> bool:
    """Whether this many failures lock the account or address."""
    return failures >= policy.lock_after
