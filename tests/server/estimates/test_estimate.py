"""The wait predictor and the classical baselines on small, hand-made halls."""

from __future__ import annotations

from madoguchi.server.estimates.wait_range import (
    CounterState,
    CounterStatus,
    HallSnapshot,
    HeadOfLinePredictor,
    LastToEnterServicePredictor,
    PlannedBreak,
    Predictor,
    QueueLengthPredictor,
    RecentAveragePredictor,
    TodayTicket,
    WaitingTicket,
    estimate_is_short,
    minutes_of_day,
)

NOON = 12 * 60.0


def _hall(
    waiting: int = 0,
    counters: int = 1,
    service: str = "juminhyo",
    status: CounterStatus = CounterStatus.OPEN,
    policy: str = "oldest_first",
    **counter_kw: object,
) -> HallSnapshot:
    tickets = [WaitingTicket(f"t{i}", service, 600.0 + i) for i in range(waiting)]
    desks = [
        CounterState(f"{n}", (service,), status, **counter_kw)  # type: ignore[arg-type]
        for n in range(1, counters + 1)
    ]
    return HallSnapshot(600.0 + waiting, tickets, desks, call_policy=policy, service_priors={service: 5.0})


def test_empty_hall_on_day_one_says_soon() -> None:
    est = Predictor().predict(_hall(), "juminhyo")
    assert est.low_min == 0.0
    assert 0.0 <= est.mid_min <= est.high_min <= 5.0
    assert estimate_is_short(est)


def test_queue_on_day_one_gives_a_sensible_range_around_the_prior() -> None:
    # 10 people ahead, one counter, 5 min each (+ walk-up): about 50 min, honestly uncertain
    est = Predictor().predict(_hall(waiting=10), "juminhyo")
    assert est.low_min < est.mid_min < est.high_min
    assert 40 <= est.mid_min <= 75
    assert est.high_min - est.low_min < 0.8 * est.mid_min + 10
    assert not estimate_is_short(est)


def test_more_counters_shorten_the_wait() -> None:
    one = Predictor().predict(_hall(waiting=10, counters=1), "juminhyo")
    three = Predictor().predict(_hall(waiting=10, counters=3), "juminhyo")
    assert three.mid_min < one.mid_min / 2


def test_a_counter_on_its_planned_break_delays_the_queue() -> None:
    working = Predictor().predict(_hall(waiting=3), "juminhyo")
    snap = _hall(
        waiting=3,
        status=CounterStatus.ON_BREAK,
        break_started_at=600.0,
        planned_breaks=(PlannedBreak(600.0, 660.0),),
    )
    on_break = Predictor().predict(snap, "juminhyo")
    assert on_break.mid_min > working.mid_min + 40


def test_an_existing_ticket_at_the_front_waits_less_than_a_new_one() -> None:
    snap = _hall(waiting=8)
    p = Predictor()
    front = p.predict(snap, "juminhyo", ticket_id="t0")
    middle = p.predict(snap, "juminhyo", position=4)
    back = p.predict(snap, "juminhyo")
    assert front.mid_min < middle.mid_min < back.mid_min


def test_counter_priority_lets_later_arrivals_of_the_preferred_service_overtake() -> None:
    # one counter serves A first, then B; A tickets keep arriving
    recent = [TodayTicket("a", "1", 540.0 + i * 4, 541.0 + i * 4, 541.5 + i * 4, 543.0 + i * 4) for i in range(15)]
    waiting = [WaitingTicket(f"b{i}", "b", 590.0 + i) for i in range(3)]
    counters = [CounterState("1", ("a", "b"))]
    priors = {"a": 2.0, "b": 2.0}
    fair = HallSnapshot(600.0, waiting, counters, recent, "oldest_first", priors)
    preferred = HallSnapshot(600.0, waiting, counters, recent, "counter_priority", priors)
    p = Predictor()
    assert p.predict(preferred, "b").mid_min > p.predict(fair, "b").mid_min + 5


def test_nobody_open_falls_back_to_people_ahead_times_service_time() -> None:
    est = Predictor().predict(_hall(waiting=4, status=CounterStatus.CLOSED), "juminhyo")
    assert est.mid_min > 15


def test_minutes_of_day() -> None:
    import datetime as dt

    assert minutes_of_day(dt.time(8, 30)) == 510.0
    assert minutes_of_day(dt.datetime(2025, 3, 24, 12, 0, 30)) == NOON + 0.5


# ---------------------------------------------------------------- baselines on trivial cases


def test_queue_length_baseline_is_people_times_service_time_over_counters() -> None:
    snap = _hall(waiting=4, counters=2, current_service="juminhyo", current_called_at=599.0)
    minutes = QueueLengthPredictor().minutes(snap, "juminhyo")
    # prior service time + default walk-up, or a 1-min hold for the 5 % who left; two counters share it
    occupancy = 0.95 * (5.0 + 0.8) + 0.05 * 1.0
    assert abs(minutes - 5 * occupancy / 2) < 0.5


def test_queue_length_baseline_is_zero_with_an_idle_counter_and_nobody_ahead() -> None:
    assert QueueLengthPredictor().predict(_hall(), "juminhyo").mid_min == 0.0


def test_head_of_line_is_the_age_of_the_oldest_waiting_ticket() -> None:
    snap = _hall(waiting=5)  # oldest issued at 600, now 605
    assert HeadOfLinePredictor().predict(snap, "juminhyo").mid_min == 5.0
    assert HeadOfLinePredictor().predict(_hall(), "juminhyo").mid_min == 0.0


def test_last_to_enter_and_recent_average_use_the_latest_calls() -> None:
    recent = [TodayTicket("s", "1", 500.0 + i, 510.0 + 2 * i, 511.0 + 2 * i, 512.0 + 2 * i) for i in range(12)]
    snap = HallSnapshot(600.0, [], [CounterState("1", ("s",))], recent)
    assert LastToEnterServicePredictor().predict(snap, "s").mid_min == 21.0  # 532 − 511
    # last ten waits: 12 … 21 → mean 16.5
    assert RecentAveragePredictor().predict(snap, "s").mid_min == 16.5


def test_baselines_give_a_range_around_their_value() -> None:
    snap = _hall(waiting=5)
    for cls in (QueueLengthPredictor, LastToEnterServicePredictor, HeadOfLinePredictor, RecentAveragePredictor):
        est = cls().predict(snap, "juminhyo")
        assert est.low_min <= est.mid_min <= est.high_min


# ---------------------------------------------------------------- the configuration's part of a snapshot


def test_counter_rota_from_the_example_hall(hall_config) -> None:  # type: ignore[no-untyped-def]
    from madoguchi.server.estimates.rota import counter_rota, service_priors

    plan = counter_rota(hall_config, 1, now=600.0)
    assert plan.planned_breaks == (PlannedBreak(690.0, 750.0),)  # 11:30–12:30
    assert plan.closes_at is None  # no own hours: serves everyone issued before the hall closes
    assert counter_rota(hall_config, 1, now=700.0, breaks_taken=[692.0]).planned_breaks == ()
    short = counter_rota(hall_config, 12, now=600.0)  # 08:30–12:00, no break
    assert (short.planned_breaks, short.opens_at, short.closes_at) == ((), 510.0, 720.0)
    assert service_priors(hall_config)["tennyu"] == 20.0


def test_a_counter_opening_later_today_is_expected_then() -> None:
    waiting = [WaitingTicket(f"t{i}", "s", 500.0 + i) for i in range(6)]
    closed = HallSnapshot(510.0, waiting, [CounterState("7", ("s",), CounterStatus.CLOSED)], service_priors={"s": 5.0})
    later = HallSnapshot(
        510.0, waiting, [CounterState("7", ("s",), CounterStatus.CLOSED, opens_at=540.0)], service_priors={"s": 5.0}
    )
    est = Predictor().predict(later, "s")
    assert est.model_min is not None and 30 + 6 * 5 <= est.model_min <= 30 + 6 * 7
    assert Predictor().predict(closed, "s").model_min != est.model_min
