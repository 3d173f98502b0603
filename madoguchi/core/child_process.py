"""Child processes that never outlive their parent (Linux ``PR_SET_PDEATHSIG``).

Used for the server's worker processes (a SIGKILLed supervisor must not leave workers serving the port) and for
the processes tests and the soak start (a crashed test run must not leave a server behind).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask the kernel to send ``sig`` to this process when its parent ends (Linux; nothing elsewhere).

    Call it in the child (a ``preexec_fn``, or first thing in a worker). The signal follows the *thread* of the
    parent that started the child, so the parent should start it from its main thread."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, sig)
    if os.getppid() != parent:  # the parent ended before the request took effect
        os.kill(os.getpid(), sig)


def on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def descendants(pid: int) -> list[int]:
    """Child processes of ``pid`` and theirs (Linux /proc; empty elsewhere or once it has ended)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            found.extend(kids)
            todo.extend(kids)
    return found
