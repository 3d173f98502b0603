"""The hall server as several worker processes on one port.

One Python process is held to one core by the GIL: 1,100–1,350 tickets a second here, the second core mostly idle.
With ``--workers N`` (``madoguchi server``) a small supervisor imports the server's code once, then forks N
worker processes and one estimates process (``live_estimate.publish_estimates``). All of them share the
database: writes queue on the store's file lock, each worker's event hub picks up the others' events through
SQLite's ``data_version``, and one leading worker runs the hall-wide periodic jobs (``leadership.py``).

Why not uvicorn's own ``--workers``: it shares one listening socket, and whichever worker wakes first accepts a
whole burst of connections (20 kiosks reconnecting after a restart all landed on one worker, the other idle).
Here each worker listens on its own ``SO_REUSEPORT`` socket and the kernel spreads connections evenly.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from madoguchi.core.child_process import die_with_parent
from madoguchi.core.logging_setup import setup_logging
from madoguchi.server.startup_heap import settle_heap
from madoguchi.server.worker_liveness import Heartbeats

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI

    from madoguchi.core.config import HallConfig
    from madoguchi.core.hall_time import Clock
    from madoguchi.server.store import Store

log = logging.getLogger(__name__)

#: uvicorn's exit status for "could not start" (bad app, port taken): restarting would fail the same way
STARTUP_FAILURE = 3
#: a worker that dies sooner than this after its start counts towards giving up (so many in a row)
_QUICK_DEATH_S = 10.0
_MAX_QUICK_DEATHS = 5
#: the estimates process waits this long before its first round, leaving the cores to the starting workers
STARTUP_GRACE_S = 1.0
#: the estimates process simulates at this niceness once its first table is out: under a full load the workers'
#: requests come first, and the table lags a little. Against two busy workers it gets about a tenth of a core: a
#: round at the bench's 30,000 waiting (~0.8 s of CPU) then takes ~8 s, and only a queue of ~100,000 would make
#: the table overdue (``live_estimate.PUBLISHED_STALE_S``) or the process look hung (``--worker-timeout``); a
#: hall has a few hundred waiting. Niceness 5 measured ~4 % fewer issues/s at 100 clients (interleaved runs).
ESTIMATES_NICENESS = 10
#: time a new process gets for its first sign of life, beyond ``worker_timeout_s``: a worker's first comes once it
#: has started (a schema migration or a day roll of a big database may come first), the estimates process's once
#: it has learned from four weeks of tickets
_FIRST_BEAT_GRACE_S = 600.0


@dataclass(frozen=True)
class ServerLaunch:
    """What ``madoguchi server`` was asked to run: paths, address and options only (no secrets)."""

    config_path: str
    db_path: str
    key_dir: str
    public_url: str
    host: str = "127.0.0.1"
    port: int = 8700
    log_dir: str | None = None
    clock_offset_file: str | None = None
    workers: int = 1
    #: with several workers: a process silent for this long (a hung event loop) is killed and replaced
    worker_timeout_s: float = 30.0
    #: uvicorn.Config keyword arguments (log level, ping interval, graceful shutdown)
    uvicorn_options: dict[str, Any] = field(default_factory=dict)

    def clock(self, config: HallConfig) -> Clock | None:
        """The rehearsal clock when asked for; None is the system clock."""
        if self.clock_offset_file is None:
            return None
        from madoguchi.core.hall_time import OffsetClock

        return OffsetClock(config.hall.timezone, Path(self.clock_offset_file))

    def create_app(
        self, config: HallConfig, *, defer_connections: bool = False, on_tick: Callable[[], None] | None = None
    ) -> FastAPI:
        from madoguchi.server.web.app import ServerSettings, create_app

        return create_app(
            ServerSettings(
                config_path=Path(self.config_path),
                db_path=Path(self.db_path),
                key_dir=Path(self.key_dir),
                public_url=self.public_url,
                config=config,
                clock=self.clock(config),
                switch_interval_s=0.0001 if self.workers > 1 else 0.0005,
                published_estimates=self.workers > 1,
                defer_connections=defer_connections,
                on_tick=on_tick,
            )
        )

    def serve(self, app: FastAPI, sockets: list[socket.socket] | None = None) -> None:
        """Run one server process until SIGTERM/SIGINT (uvicorn's graceful shutdown)."""
        import uvicorn

        options = {"host": self.host, "port": self.port, **self.uvicorn_options}
        uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=sockets)


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to host:port that other workers may bind as well (they share the connections)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = found[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(address)
    sock.set_inheritable(True)
    return sock


def _claim_port(port: int) -> socket.socket:
    """One supervisor per port on this machine. SO_REUSEPORT would otherwise let a second server (another data
    folder, by mistake) share the port silently; an abstract Unix socket is freed by the kernel when we die."""
    guard = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        guard.bind(f"\0madoguchi-server-port-{port}")
    except OSError:
        guard.close()
        raise SystemExit(f"another Madoguchi hall server is already running on port {port}") from None
    return guard


def preload() -> None:
    """Import the parts of uvicorn a worker uses (the app's modules come with building it, see ``run``): each
    worker then starts in milliseconds, and the imported code stays shared between them in memory."""
    import uvicorn.lifespan.on
    import uvicorn.loops.auto
    import uvicorn.protocols.http.auto
    import uvicorn.protocols.websockets.auto

    with contextlib.suppress(ImportError):  # the event loop uvicorn picks when it is installed
        import uvicorn.loops.uvloop  # noqa: F401


class Supervisor:
    """Forks the workers, starts a new one when one dies, and stops them all on SIGTERM/SIGINT.

    Nothing here opens the database or starts a thread before forking: a child gets a clean copy."""

    def __init__(self, launch: ServerLaunch, workers: int, config: HallConfig) -> None:
        self.launch = launch
        self.count = workers
        self.config = config
        #: the workers' app, built once before the first fork; a worker started later (in place of one that died)
        #: builds its own, from the configuration file as it is then
        self._app: FastAPI | None = None
        # the workers, then the estimates process (slot ``workers``)
        self.pids: list[int | None] = [None] * (workers + 1)
        self.started_at = [0.0] * (workers + 1)
        self.quick_deaths = 0
        self.stopping = False
        self._guard: socket.socket | None = None
        self.heartbeats = Heartbeats(workers + 1)
        #: slots whose process was killed as hung: its end is not a quick death
        self._killed: set[int] = set()

    def _start(self, slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the supervisor's code
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                if self._guard is not None:
                    self._guard.close()
                _child_setup(self.launch)
                self.heartbeats.slot = slot
                if slot < self.count:
                    first = self.started_at[slot] == 0.0
                    worker_main(self.launch, self._app if first else None, self.heartbeats.beat)
                else:
                    estimates_main(self.launch, self.heartbeats.beat)
                code = 0
            except SystemExit as exc:
                code = 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 1
            except BaseException as exc:
                log.error("server worker failed: %s", type(exc).__name__)
            finally:
                logging.shutdown()
                os._exit(code)
        self.pids[slot] = pid
        self.started_at[slot] = time.monotonic()

    def _signal_all(self, sig: int) -> None:
        for pid in self.pids:
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)

    def run(self) -> int:
        self._guard = _claim_port(self.launch.port)
        try:
            probe = reuse_port_socket(self.launch.host, self.launch.port)  # a taken port fails here, clearly
        except OSError as exc:
            raise SystemExit(f"cannot listen on {self.launch.host}:{self.launch.port}: {exc.strerror}") from None
        probe.close()
        preload()
        # Built here once, the app's routes and their validators are shared by the workers' memory, and each worker
        # answers as soon as it is forked. Nothing in it opens the database until a worker uses it.
        self._app = self.launch.create_app(self.config, defer_connections=True, on_tick=self.heartbeats.beat)
        settle_heap()  # before the first fork: every worker inherits it

        def on_signal(signum: int, _frame: object) -> None:
            self.stopping = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        for slot in range(self.count + 1):
            self._start(slot)
        log.info("hall server: %d worker processes on port %d", self.count, self.launch.port)
        status = 0
        try:
            while not self.stopping:
                time.sleep(0.2)
                status = self._reap()
                if status:
                    self.stopping = True
                else:
                    self._stop_hung()
        finally:
            self._signal_all(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while any(self.pids) and time.monotonic() < deadline:
                self._collect()
                time.sleep(0.05)
            self._signal_all(signal.SIGKILL)
            self._guard.close()
        return status

    def _stop_hung(self) -> None:
        """SIGKILL a process that stopped showing signs of life; ``_reap`` then starts a new one."""
        now = time.monotonic()
        for slot, pid in enumerate(self.pids):
            if pid is None or slot in self._killed:
                continue
            silent = self.heartbeats.silent_for(
                slot, self.started_at[slot], now, first_beat_grace_s=_FIRST_BEAT_GRACE_S
            )
            if silent > self.launch.worker_timeout_s:
                what = "server worker" if slot < self.count else "estimates process"
                log.error("%s %d showed no sign of life for %.0f s (hung); killing it", what, pid, silent)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                self._killed.add(slot)  # reaped and replaced on the next round

    def _collect(self) -> list[tuple[int, int, int]]:
        """Workers that have ended: (slot, pid, exit code)."""
        ended = []
        for slot, pid in enumerate(self.pids):
            if pid is None:
                continue
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done:
                self.pids[slot] = None
                ended.append((slot, pid, os.waitstatus_to_exitcode(status)))
        return ended

    def _reap(self) -> int:
        """Start a new worker for each that ended; a non-zero status when the server should give up instead."""
        ended = self._collect()
        if self.stopping:  # Ctrl-C and systemd signal every process of the server at once: they end on purpose
            return 0
        for slot, pid, code in ended:
            if code == STARTUP_FAILURE:
                log.error("a server worker could not start (exit %d); stopping", code)
                return STARTUP_FAILURE
            if slot in self._killed:
                self._killed.discard(slot)
            elif time.monotonic() - self.started_at[slot] < _QUICK_DEATH_S:
                self.quick_deaths += 1
                if self.quick_deaths >= _MAX_QUICK_DEATHS:
                    log.error("server workers keep dying right after their start; stopping")
                    return 1
            else:
                self.quick_deaths = 0
            what = "server worker" if slot < self.count else "estimates process"
            log.error("%s %d ended (exit %s); starting a new one", what, pid, code)
            self._start(slot)
        return 0


def _child_setup(launch: ServerLaunch) -> None:
    """First steps of every process the supervisor forks (what they import is imported before the fork)."""
    # a supervisor killed outright (SIGKILL, OOM) must not leave workers serving the port on their own
    die_with_parent()
    # Several processes append to one file: rotation is logrotate's (copytruncate, deploy/logrotate), since
    # two processes renaming the same file would lose lines.
    setup_logging("server", Path(launch.log_dir) if launch.log_dir else None, rotate=False)


def worker_main(launch: ServerLaunch, app: FastAPI | None, beat: Callable[[], None]) -> None:
    """One worker process: its own socket on the shared port, the app (the supervisor's, or its own when started
    later), uvicorn until SIGTERM."""
    from madoguchi.core.config import load_config

    try:
        sock = reuse_port_socket(launch.host, launch.port)
    except OSError as exc:
        log.error("cannot listen on %s:%d: %s", launch.host, launch.port, exc.strerror)
        raise SystemExit(STARTUP_FAILURE) from None
    if app is None:
        # the file was valid when the server started; should it be broken now, the error names file and line
        app = launch.create_app(load_config(Path(launch.config_path)), on_tick=beat)
    launch.serve(app, sockets=[sock])  # the app's ticker beats once a second from its first, after the start


def estimates_main(launch: ServerLaunch, beat: Callable[[], None]) -> None:
    """The estimates process: simulates the queue for every worker and publishes the table in the database."""
    from madoguchi.core.config import load_config
    from madoguchi.core.hall_time import hall_day, system_clock
    from madoguchi.server.config_reload import CONFIG_GENERATION, ConfigFollower, ConfigWatcher
    from madoguchi.server.estimates.live import EstimateTable, LiveEstimator, publish_estimates
    from madoguchi.server.store import Store

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stop.set())
    # Let the workers start first, with the cores to themselves (learning from four weeks of tickets takes a while
    # on a real hall's database); until the first table is published each worker estimates by itself.
    if stop.wait(STARTUP_GRACE_S):
        return
    config = load_config(Path(launch.config_path))
    clock = launch.clock(config) or system_clock(config.hall.timezone)
    store = Store(launch.db_path)
    publisher = _PublishAtNormalPriority(store)
    simulating = threading.get_native_id()

    def lower_priority() -> None:
        # after the first table: until it is out, every worker has to simulate by itself
        with contextlib.suppress(OSError):  # not Linux, or not allowed: the simulation runs at normal priority
            os.setpriority(os.PRIO_PROCESS, simulating, ESTIMATES_NICENESS)

    estimator = LiveEstimator(config, store, clock)
    follower = ConfigFollower(
        ConfigWatcher(
            launch.config_path, estimator.reload_config, enabled=lambda: estimator.config.operations.watch_config
        ),
        lambda: store.get_meta(CONFIG_GENERATION),
    )
    try:
        publish_estimates(
            EstimateTable(estimator),
            today=lambda: hall_day(clock(), estimator.config.hall.day_reset),
            stop=stop,
            each_round=follower.tick,
            alive=beat,
            publish=publisher,
            after_first=lower_priority,
        )
    finally:
        publisher.close()
        store.close()


class _PublishAtNormalPriority:
    """Writes the estimates table from a thread at normal priority, while the simulation runs niced.

    On Linux niceness belongs to a thread. The table is written under the hall-wide write lock: written by a
    niced thread, a busy core could leave the lock held, and every worker waiting, until the scheduler came back
    to it. So the simulating thread hands the write over here and waits (with the GIL released) until it is done."""

    def __init__(self, store: Store) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.store = store
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="estimates-publish")
        self._pool.submit(lambda: None).result()  # its thread exists now, at the caller's (normal) priority

    def __call__(self, text: str) -> None:
        from madoguchi.server.estimates.live import PUBLISHED_META

        self._pool.submit(self.store.set_meta, PUBLISHED_META, text).result()

    def close(self) -> None:
        self._pool.shutdown()
