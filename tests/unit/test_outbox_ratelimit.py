"""The channel rate limits in one process (sliding windows on a fake clock)."""

from __future__ import annotations

import pytest

from notifications.ratelimit import InProcessRateLimiter, Limit, RateLimits


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sends: list[tuple[float, str]] = []

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


def limiter(clock: FakeTime) -> InProcessRateLimiter:
    return InProcessRateLimiter(now=lambda: clock.now, sleep=clock.sleep)


def max_in_window(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window) for start in times)


async def test_a_broadcast_to_distinct_chats_keeps_thirty_per_second(clock: FakeTime) -> None:
    rules = RateLimits(margin=0.0)
    rl = limiter(clock)
    times = []
    for n in range(300):
        await rl.acquire(rules.for_chat("telegram", str(10_000 + n)))
        times.append(clock.now)
    assert max_in_window(times, 1.0) == 30
    assert times[29] == 1000.0 and times[30] == pytest.approx(1001.0)      # a burst, then the window moves
    assert times[-1] - times[0] == pytest.approx(9.0)                       # 300 messages: 9 s after the first


async def test_a_slot_counts_from_when_the_send_was_over(clock: FakeTime) -> None:
    rl = limiter(clock)
    rule = [Limit("telegram:bot", 3, 1.0)]
    slots = [await rl.acquire(rule) for _ in range(3)]
    clock.now += 0.4                                    # the requests took a while to go out
    for slot in slots:
        await rl.settle(slot)
    assert await rl.try_acquire(rule) == pytest.approx(1.0)   # full until 1.4, not 1.0
    clock.now += 0.7
    assert await rl.try_acquire(rule) == pytest.approx(0.3)
    clock.now += 0.3
    assert await rl.try_acquire(rule) == 0


async def test_one_chat_gets_one_per_second_and_a_group_twenty_per_minute(clock: FakeTime) -> None:
    rules = RateLimits(margin=0.0)
    rl = limiter(clock)
    private = []
    for _ in range(3):
        await rl.acquire(rules.for_chat("telegram", "1001"))
        private.append(clock.now - 1000.0)
    assert private == pytest.approx([0.0, 1.0, 2.0])
    group = []
    for _ in range(21):
        await rl.acquire(rules.for_chat("telegram", "-100500"))
        group.append(clock.now)
    assert max_in_window(group, 60.0) == 20
    assert group[20] - group[0] == pytest.approx(60.0)


async def test_the_margin_stretches_the_windows(clock: FakeTime) -> None:
    rules = RateLimits(margin=0.02)
    assert [lim.window for lim in rules.for_chat("telegram", "-1")] == pytest.approx([1.02, 1.02, 61.2])
    assert rules.for_chat("console", "x") == []
    assert {lim.key for lim in rules.for_chat("wecom", "zhangsan")} == {"wecom:bot", "wecom:user:zhangsan"}


async def test_a_pause_holds_every_send_on_the_key_and_all_or_nothing_slots(clock: FakeTime) -> None:
    rl = limiter(clock)
    bot = Limit("telegram:bot", 30, 1.0)
    await rl.pause("telegram:bot", 5)
    await rl.pause("telegram:bot", 2)                      # a shorter pause does not shorten it
    assert await rl.try_acquire([bot]) == pytest.approx(5.0)
    await rl.acquire([bot, Limit("telegram:chat:1", 1, 1.0)])
    assert clock.now == pytest.approx(1005.0)
    # a refused acquire takes no slot of the other limits
    assert await rl.try_acquire([Limit("a", 5, 1.0), Limit("telegram:chat:1", 1, 1.0)]) > 0
    assert all([await rl.try_acquire([Limit("a", 5, 1.0)]) == 0 for _ in range(5)])
