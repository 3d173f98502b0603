"""A whole city-hall day under faults: the soak run and its invariants .

``madoguchi soak --minutes N --speed K [--out DIR] [--short]`` (or ``bench/soak.py``) starts, on loopback:

- the hall server as its own process (``madoguchi.client.local_server.HallServerProcess``), SIGKILLed and
  restarted twice, on ``--clock-offset-file`` so its clock can jump over the day roll without touching the
  machine's clock;
- three printer simulators as ``madoguchi printer-sim`` processes, driven through their control ports;
- three scripted kiosks as ``python -m madoguchi.apps.soak.kiosk_proc`` processes (one is SIGKILLed and restarted), each
  printing through a ``PrintWorker``, reading a virtual My Number card in-process and reading residents' 2D codes
  through the scanner package's camera worker (a video of the code);
- two boards: the real Qt board (``madoguchi display --record-calls``) offscreen as its own process, and an
  ``EventStream`` WebSocket client (a thread, whose network is cut for a while);
- ten scripted staff sessions as threads of the run itself;
- the database folder on a small tmpfs (when run as root) that is filled for a moment: the disk-full fault.

Modules: ``plan`` (the day: arrivals, counters, fault schedule, simulated clock), ``kiosk_proc`` (scripted
kiosk), ``staff`` (scripted counter staff), ``boards`` (the two boards and the queue sampler), ``faults`` (fault
injector), ``clockjump`` (the day-roll fault and server-clock bookkeeping), ``monitor`` (RSS, stuck calls),
``disk`` (the small tmpfs), ``invariants`` (the checks), ``report`` (Markdown + PNG), ``run`` (the orchestration)
and ``cli``.
"""
