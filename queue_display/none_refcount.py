"""Stop-gap for a PySide6 6.12.0 defect on CPython 3.11: every call of a C++ method returning ``void``
(``QFont.setBold``, ``QObject.setObjectName``, ``QPainter.drawText``…) drops one reference to ``None`` that it
never took. Python ≥ 3.12 makes ``None`` immortal, so nothing happens there; on 3.11 ``None``'s count (about
5,000 after start-up) reaches zero after a few thousand such calls and the process aborts with
"none_dealloc: deallocating None". A board painting at 30 frames per second dies within minutes.

``guard_none_refcount()`` adds 2**40 references to ``None`` once, which is what 3.12's immortality does in
effect; call it at process start-up (the CLIs, the benchmark and the test fixtures do). Remove it once PySide6 is
fixed or the project moves to Python ≥ 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_BUMP = 1 << 40
_done = False


def guard_none_refcount() -> None:
    global _done
    if _done or sys.version_info >= (3, 12):
        return
    ctypes.c_ssize_t.from_address(id(None)).value += _BUMP
    _done = True
