"""A whole city-hall day under faults: the soak run and its invariants (issue 13).

``python main.py soak --minutes N --speed K [--out DIR] [--short]`` (or ``bench/soak.py``) starts, on loopback:

- the hall server as its own process (``queueing.testing.HallServerProcess``), SIGKILLed and restarted twice;
- three printer simulators as ``main.py printer-sim`` processes, driven through their control ports;
- three scripted kiosks as ``python -m soak.kiosk_proc`` processes (one is SIGKILLed and restarted), each
  printing through a ``PrintWorker`` and reading a virtual My Number card in-process;
- ten scripted staff sessions and two boards (``EventStream`` WebSocket clients) as threads of the run itself;
- the database folder on a small tmpfs (when run as root) that is filled for a moment: the disk-full fault.

Modules: ``plan`` (the day: arrivals, counters, fault schedule, simulated clock), ``kiosk_proc`` (scripted
kiosk), ``staff`` (scripted counter staff), ``boards`` (call recorders), ``faults`` (fault injector),
``monitor`` (RSS, stuck calls), ``disk`` (the small tmpfs), ``invariants`` (the checks), ``report`` (Markdown + PNG),
``run`` (the orchestration) and ``cli``.
"""
