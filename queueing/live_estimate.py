"""Wait estimates for the live hall: the bridge between the queue store and the predictor.

Until the predictor learns from the hall's own history, the estimate is a queue-length one: people ahead
divided by the counters that serve the service (each counter counted by its share), times the mean service
time, widened into an honest range.
"""

from __future__ import annotations

from queueing.config import HallConfig


def counter_share(config: HallConfig, service_id: str) -> float:
    """Effective number of counters for a service: a counter serving k services counts 1/k."""
    share = 0.0
    for c in config.counters:
        if service_id in c.services:
            share += 1.0 / len(c.services)
    return max(share, 0.25)


def simple_estimate(config: HallConfig, service_id: str, people_ahead: int) -> tuple[float, float, float]:
    mean = config.service(service_id).mean_service_min
    mid = (people_ahead + 0.5) * mean / counter_share(config, service_id)
    low = max(0.0, mid * 0.6 - 2)
    high = mid * 1.5 + 5
    return (round(low, 1), round(mid, 1), round(high, 1))
