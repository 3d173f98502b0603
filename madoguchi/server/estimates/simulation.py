"""A short, deterministic forward simulation of the hall from now until a given ticket is called.

Mean-value model: every call occupies its counter for the expected occupancy of that service at that counter
(walk-up + service for the residents still there, the no-show hold for those who silently left, scaled up
for unannounced interruptions). Counters take their pending planned breaks when they become free after the
planned start, and stop at their closing time. Under the "counter_priority" policy later arrivals of a
service a counter prefers can overtake, so expected arrivals are injected at their forecast rate.
Plain Python over a heap: a few hundred steps, well under a millisecond for 300 waiting tickets.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

#: safety net: never loop longer than this many calls
MAX_STEPS = 5000


@dataclass(slots=True)
class SimCounter:
    free_at: float
    #: service indexes in the counter's priority order; per service the occupancy minutes when the resident
    #: is there, and how much shorter it is when they are gone (occupancy = there − p_gone(wait) · saved)
    services: tuple[int, ...]
    there: tuple[float, ...]
    saved: tuple[float, ...]
    #: pending planned breaks as (start, duration), earliest first
    breaks: list[tuple[float, float]] = field(default_factory=list)
    closes_at: float = math.inf


@dataclass(slots=True)
class SimQueue:
    #: waiting tickets as (-priority, queued_at), sorted; the target is marked by ``target_index``
    tickets: list[tuple[int, float]]
    target_index: int = -1
    #: expected arrivals per minute at a time, or None when later arrivals cannot overtake
    rate: Callable[[float], float] | None = None
    next_arrival: float = math.inf
    head: int = 0
    #: this service's abandonment relative to the hall's (the curve is shared by all services)
    gone_scale: float = 1.0


def _next_arrival(rate: Callable[[float], float], after: float, limit: float) -> float:
    """Time of the next expected (fluid) arrival after ``after``; inf when the rate is ~0 until ``limit``."""
    t = after
    while t < limit:
        r = rate(t)
        if r > 1e-3:
            return t + 1.0 / r
        t += 15.0
    return math.inf


def simulate_call_time(
    now: float,
    counters: Sequence[SimCounter],
    queues: Sequence[SimQueue],
    counter_priority: bool,
    gone_edges: Sequence[float] = (),
    gone_curve: Sequence[float] = (0.0,),
    horizon_min: float = 600.0,
) -> float | None:
    """Minutes from ``now`` until the target ticket is called (at most ``horizon_min``), or None if no
    counter would ever reach it."""
    limit = now + horizon_min
    for q in queues:
        if q.rate is not None:
            q.next_arrival = _next_arrival(q.rate, now, limit)
    sizes = [len(q.tickets) for q in queues]
    heap = [(c.free_at, i) for i, c in enumerate(counters)]
    heapq.heapify(heap)
    pop, push, find_bin = heapq.heappop, heapq.heappush, bisect.bisect_right
    inf = math.inf
    for _ in range(MAX_STEPS):
        if not heap:
            return None
        t, ci = pop(heap)
        c = counters[ci]
        if t > limit:
            return horizon_min  # starved (e.g. a preferred service keeps arriving): as long as we can tell
        if t >= c.closes_at:
            continue
        if c.breaks and c.breaks[0][0] <= t:
            push(heap, (t + c.breaks.pop(0)[1], ci))
            continue
        best = -1
        best_key: tuple[int, float] = (0, inf)
        wake = inf
        pos = 0
        for si in c.services:
            q = queues[si]
            if q.head < sizes[si]:
                key = q.tickets[q.head]
            elif q.next_arrival < inf:
                key = (0, q.next_arrival)
            else:
                pos += 1
                continue
            if key[1] > t:  # not arrived yet
                if key[1] < wake:
                    wake = key[1]
            elif counter_priority:
                best = pos
                break
            elif best < 0 or key < best_key:
                best, best_key = pos, key
            pos += 1
        if best < 0:
            if wake < inf:
                push(heap, (wake, ci))
            continue
        si = c.services[best]
        q = queues[si]
        if q.head < sizes[si]:
            if q.head == q.target_index:
                return t - now
            queued_at = q.tickets[q.head][1]
            q.head += 1
        else:
            assert q.rate is not None
            queued_at = q.next_arrival
            q.next_arrival = _next_arrival(q.rate, queued_at, limit)
        p_gone = gone_curve[find_bin(gone_edges, t - queued_at)] * q.gone_scale
        if p_gone > 0.95:
            p_gone = 0.95
        push(heap, (t + c.there[best] - p_gone * c.saved[best], ci))
    return None
