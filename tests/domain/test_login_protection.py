"""The login throttling rules: free failures, growing delays, a lock that runs out."""

from __future__ import annotations

import datetime as dt

from portfolio.domain.login_protection import ACCOUNT_POLICY, ADDRESS_POLICY, delay_after, locks_now, next_attempt_at

NOW = dt.datetime(2026, 12, 1, 12, 0)


def test_delays_start_after_the_free_failures_double_and_are_capped():
    delays = [delay_after(n, ACCOUNT_POLICY).total_seconds() for n in range(12)]
    assert delays[:3] == [0, 0, 0]
    assert delays[3:8] == [2, 4, 8, 16, 32]
    assert max(delays) == ACCOUNT_POLICY.max_delay.total_seconds()


def test_an_address_gets_more_room_than_an_account():
    assert ADDRESS_POLICY.free_failures > ACCOUNT_POLICY.free_failures
    assert ADDRESS_POLICY.lock_after > ACCOUNT_POLICY.lock_after
    assert locks_now(ACCOUNT_POLICY.lock_after, ACCOUNT_POLICY) and not locks_now(9, ACCOUNT_POLICY)


def test_when_the_next_attempt_is_allowed():
    assert next_attempt_at(2, NOW, None, NOW, ACCOUNT_POLICY) is None
    assert next_attempt_at(4, NOW, None, NOW, ACCOUNT_POLICY) == NOW + dt.timedelta(seconds=4)
    assert next_attempt_at(4, NOW, None, NOW + dt.timedelta(seconds=5), ACCOUNT_POLICY) is None
    locked_until = NOW + dt.timedelta(minutes=30)
    assert next_attempt_at(10, NOW, locked_until, NOW + dt.timedelta(minutes=29), ACCOUNT_POLICY) == locked_until
    # No permanent lockout: after the lock, and after an hour without failures, the count starts afresh.
    assert next_attempt_at(10, NOW, locked_until, locked_until, ACCOUNT_POLICY) is None
    assert next_attempt_at(9, NOW, None, NOW + dt.timedelta(hours=1), ACCOUNT_POLICY) is None
