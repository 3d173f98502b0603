"""Test harness: a real pcscd with the vpcd driver as a child process, and virtual cards on its ports.

Used by tests/card_reader, the benchmark, and any other test folder that needs a card (the kiosk's).
Nothing is installed here: a missing pcscd or vpcd driver is a clear ``HarnessError``.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from madoguchi.core.child_process import die_with_parent, on_main_thread
from madoguchi.devices.card.virtual_card import CardProfile, VirtualMyNumberCard, VpcdCardClient

log = logging.getLogger(__name__)

PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
VPCD_READER_CONF = Path("/etc/reader.conf.d/vpcd")
#: vpcd's two readers and their TCP ports
VPCD_READERS = {35963: "Virtual PCD 00 00", 35964: "Virtual PCD 00 01"}
INSTALL_HINT = "run scripts/install-system-packages (Debian: apt-get install pcscd vsmartcard-vpcd)"


class HarnessError(RuntimeError):
    """pcscd/vpcd cannot be started here; the message says why and what to install or stop."""


@dataclass(frozen=True)
class PcscdProcess:
    pid: int
    log_path: Path | None


def _pcscd_path() -> str:
    found = shutil.which("pcscd") or ("/usr/sbin/pcscd" if Path("/usr/sbin/pcscd").exists() else None)
    if found is None:
        raise HarnessError(f"pcscd is not installed; {INSTALL_HINT}")
    return found


def check_prerequisites() -> str:
    """Path of pcscd if pcscd and the vpcd driver are installed, else HarnessError."""
    path = _pcscd_path()
    if not VPCD_DRIVER.exists() or not VPCD_READER_CONF.exists():
        raise HarnessError(f"the vpcd driver ({VPCD_DRIVER}, {VPCD_READER_CONF}) is missing; {INSTALL_HINT}")
    return path


def pcscd_running() -> bool:
    """True if some pcscd answers on its socket (a leftover socket file alone does not count)."""
    if not PCSCD_SOCKET.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1.0)
        try:
            s.connect(str(PCSCD_SOCKET))
        except TimeoutError:
            return True  # something listens there but is too busy to accept
        except OSError:
            return False
    return True


def _tcp_listening(port: int) -> bool:
    # Read the kernel table instead of connecting: a connection to vpcd's port would "insert a card".
    needle = f":{port:04X} "
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if len(parts) > 3 and parts[1].endswith(needle.strip()) and parts[3] == "0A":  # 0A = LISTEN
                return True
    return False


def vpcd_ready() -> bool:
    """pcscd answers and vpcd listens on both its ports."""
    return pcscd_running() and all(_tcp_listening(p) for p in VPCD_READERS)


_shared_lock = threading.Lock()
_shared: PcscdProcess | None = None
_shared_users = 0


@contextmanager
def running_pcscd(
    log_path: Path | None = None, start_timeout: float = 15.0, wait_other: float = 30.0
) -> Iterator[PcscdProcess]:
    """Start ``pcscd --foreground`` (no APDU logging), wait for vpcd's ports, stop it by PID at the end.

    Nested or parallel uses in one process share the same pcscd (so two test folders can both ask for it).
    Refuses to run next to a pcscd this process did not start, after waiting up to ``wait_other`` s for it
    to go away (another test run on the same machine finishing).
    """
    global _shared, _shared_users
    with _shared_lock:
        if _shared is None:
            _shared = start_pcscd(log_path, start_timeout, wait_other)
        _shared_users += 1
        proc = _shared
    try:
        yield proc
    finally:
        with _shared_lock:
            _shared_users -= 1
            if _shared_users == 0:
                stop_pcscd(proc)
                _shared = None


def start_pcscd(log_path: Path | None = None, start_timeout: float = 15.0, wait_other: float = 0.0) -> PcscdProcess:
    """Start pcscd as a child (prefer ``running_pcscd``); HarnessError when it cannot or must not run."""
    path = check_prerequisites()
    deadline = time.monotonic() + wait_other
    if pcscd_running() and wait_other > 0:
        log.warning("another pcscd is running; waiting up to %.0f s for it to stop", wait_other)
    while pcscd_running() and time.monotonic() < deadline:
        time.sleep(0.5)
    if pcscd_running():
        raise HarnessError(
            f"another pcscd is running ({PCSCD_SOCKET} answers); stop it first "
            "(systemctl stop pcscd.socket pcscd) so the tests own their reader daemon"
        )
    if os.geteuid() != 0 and not os.access("/run", os.W_OK):
        raise HarnessError("pcscd needs a writable /run/pcscd: run the tests as root or start pcscd with sudo")
    out: Any = subprocess.DEVNULL
    if log_path is not None:
        out = log_path.open("ab")
    # Never -a: APDU logging would write PINs in clear.
    # A parent that is SIGKILLed (a test run's timeout, a demo killed outright) must not leave pcscd running: the
    # next run would find "another pcscd". The death signal follows the starting thread: the main thread only.
    child = subprocess.Popen(
        [path, "--foreground"],
        stdout=out,
        stderr=subprocess.STDOUT,
        preexec_fn=(lambda: die_with_parent(signal.SIGTERM)) if on_main_thread() else None,
    )
    if log_path is not None:
        out.close()
    deadline = time.monotonic() + start_timeout
    while not (all(_tcp_listening(p) for p in VPCD_READERS) and pcscd_running()):
        if child.poll() is not None:
            raise HarnessError(f"pcscd exited at start with status {child.returncode} (log: {log_path})")
        if time.monotonic() > deadline:
            stop_pcscd(PcscdProcess(child.pid, log_path), child)
            raise HarnessError(f"pcscd did not open the vpcd ports {list(VPCD_READERS)} in {start_timeout} s")
        time.sleep(0.05)
    log.info("pcscd started, pid %d", child.pid)
    _children[child.pid] = child
    atexit.register(stop_pcscd, PcscdProcess(child.pid, log_path))  # a crashed test run leaves no pcscd
    return PcscdProcess(child.pid, log_path)


_children: dict[int, subprocess.Popen[bytes]] = {}


def stop_pcscd(proc: PcscdProcess, child: subprocess.Popen[bytes] | None = None) -> None:
    """Stop a pcscd started by ``start_pcscd``, by its PID (SIGTERM, then SIGKILL after 10 s)."""
    child = child or _children.pop(proc.pid, None)
    if child is None:
        return
    child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout=5)
    log.info("pcscd stopped, pid %d", proc.pid)


#: what the ``insert_card`` test fixture gives: ``insert(profile=None, port=35963, wait_present=True, **overrides)``
InsertCard = Callable[..., VpcdCardClient]


def reader_name(port: int) -> str:
    return VPCD_READERS[port]


def make_profile(**overrides: Any) -> CardProfile:
    """A test resident (made-up data) with scenario options overridden, e.g. ``tries_left=1``."""
    base: dict[str, Any] = {
        "name": "平塚　花子",
        "address": "神奈川県平塚市浅間町９－１",
        "birth_date": datetime.date(1980, 2, 17),
    }
    base.update(overrides)
    return CardProfile(**base)


@contextmanager
def virtual_card(
    profile: CardProfile | None = None, port: int = 35963, wait_present: bool = True, timeout: float = 10.0
) -> Iterator[VpcdCardClient]:
    """Insert a virtual card into vpcd's reader on ``port`` for the duration of the block.

    With ``wait_present`` the block starts only once pcscd reports the card present, so a connect
    inside it does not race pcscd's presence polling (~0.4 s).
    """
    client = VpcdCardClient(VirtualMyNumberCard(profile or make_profile()), port=port)
    client.insert()
    try:
        if wait_present:
            wait_for_presence(reader_name(port), present=True, timeout=timeout)
        yield client
    finally:
        client.remove()
        client.join(timeout=5)
        wait_for_presence(reader_name(port), present=False, timeout=timeout)


def wait_for_presence(reader: str, present: bool, timeout: float) -> None:
    """Block until pcscd sees a card in ``reader`` (or sees it gone)."""
    from smartcard import scard

    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise HarnessError(f"no PC/SC context: {scard.SCardGetErrorMessage(hresult)}")
    try:
        state = scard.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + timeout
        while True:
            remaining = int(max(0.0, deadline - time.monotonic()) * 1000)
            hresult, states = scard.SCardGetStatusChange(ctx, remaining, [(reader, state)])
            if hresult == scard.SCARD_E_TIMEOUT:
                raise HarnessError(f"reader {reader}: card {'not seen' if present else 'still seen'} in {timeout} s")
            if hresult != scard.SCARD_S_SUCCESS:
                raise HarnessError(f"reader {reader}: {scard.SCardGetErrorMessage(hresult)}")
            _, event, _ = states[0]
            if bool(event & scard.SCARD_STATE_PRESENT) == present and not event & scard.SCARD_STATE_MUTE:
                return
            state = event & ~scard.SCARD_STATE_CHANGED
    finally:
        scard.SCardReleaseContext(ctx)
