"""Wait estimates: how long a resident will wait, as an honest range.

Usage (the hall server)::

    predictor = Predictor()                 # works on day one from the config priors
    predictor.learn(history_days)           # past days from the store (list[HistoryDay]); refit nightly
    est = predictor.predict(snapshot, "juminhyo")     # for a ticket issued now
    est = predictor.predict(snapshot, "juminhyo", ticket_id="…")   # for a waiting ticket (board, phone)
    est = predictor.predict(snapshot, "juminhyo", position=3)       # a place with 3 of its service ahead
    # est.low_min / est.mid_min / est.high_min in minutes; store est.model_min beside the ticket

Filling a ``HallSnapshot`` from plain rows (all times are float minutes after local midnight,
``minutes_of_day(datetime)``):

- ``now``; ``waiting``: one ``WaitingTicket(ticket_id, service_id, queued_at, priority)`` per waiting ticket
  (``queued_at`` = issue time, or the original issue time after a transfer; priority > 0 for priority needs);
- ``counters``: one ``CounterState`` per configured counter: ``number``, ``services`` (config order =
  priority order), ``status`` (open / on_break / closed), the ticket in hand (``current_service``,
  ``current_called_at``, ``current_started_at`` once the resident arrived), ``break_started_at`` during a
  break, ``planned_breaks`` not taken yet (config ``counters[].breaks``), ``closes_at``
  (``counters[].hours.end``; None when it serves until the queue is empty);
- ``recent``: today's called tickets, oldest first, as ``TodayTicket(service_id, counter, issued_at,
  called_at, service_start, service_end, abandoned, model_min)`` (for an abandoned ticket ``service_end`` is
  when the counter gave up); only the latest 250 are read;
- ``call_policy`` (``hall.call_policy``), ``service_priors`` ({id: Service.mean_service_min}), ``weekday``.

``counter_rota(cfg, number, now, breaks_taken)`` gives a counter's ``planned_breaks``, ``opens_at`` and
``closes_at`` from the configuration (a counter not open yet: status CLOSED with ``opens_at``),
``service_priors(cfg)`` the priors.

History for ``learn``: per past day a ``HistoryDay`` with ``HistoryRecord`` per ticket (same fields as
``TodayTicket`` plus day/weekday and the stored ``model_min``), ``BreakRecord`` per break and
``CounterDayRecord`` per counter (open → close). Calibration of the range needs ``model_min`` stored at issue.
A nightly refit can re-predict the latest days with the new knowledge first (``estimation.replay.run_day``
on the day's events in the log format, as ``replay`` does): ranges then tighten sooner after the first days.

``estimate_is_short(est)`` says when to show "まもなく" instead of a range (``SHORT_WAIT_MIN``); formatting
the range itself belongs to translations.
"""

from __future__ import annotations

from madoguchi.server.estimates.baselines import (
    BASELINES,
    HeadOfLinePredictor,
    LastToEnterServicePredictor,
    QueueLengthPredictor,
    RecentAveragePredictor,
)
from madoguchi.server.estimates.knowledge import HallKnowledge, learn_knowledge
from madoguchi.server.estimates.model import (
    SHORT_WAIT_MIN,
    BreakRecord,
    CounterDayRecord,
    CounterState,
    CounterStatus,
    Estimate,
    HallSnapshot,
    HistoryDay,
    HistoryRecord,
    PlannedBreak,
    TodayTicket,
    WaitingTicket,
    estimate_is_short,
    minutes_of_day,
)
from madoguchi.server.estimates.predictor import Predictor
from madoguchi.server.estimates.rota import counter_rota, service_priors

__all__ = [
    "BASELINES",
    "SHORT_WAIT_MIN",
    "BreakRecord",
    "CounterDayRecord",
    "CounterState",
    "CounterStatus",
    "Estimate",
    "HallKnowledge",
    "HallSnapshot",
    "HeadOfLinePredictor",
    "HistoryDay",
    "HistoryRecord",
    "LastToEnterServicePredictor",
    "PlannedBreak",
    "Predictor",
    "QueueLengthPredictor",
    "RecentAveragePredictor",
    "TodayTicket",
    "WaitingTicket",
    "counter_rota",
    "estimate_is_short",
    "learn_knowledge",
    "minutes_of_day",
    "service_priors",
]
