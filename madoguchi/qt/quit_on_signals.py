"""Ctrl-C and SIGTERM end a Qt program the way closing its window does.

Without this, Ctrl-C in the terminal did nothing visible (Python raised KeyboardInterrupt inside whichever slot
ran next, and Qt carried on), and SIGTERM ended the process before the code after ``app.exec()`` could stop its
threads, release its devices and remove its temporary files.
"""

from __future__ import annotations

import signal
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QTimer


def quit_on_signals(app: QCoreApplication, signals: Iterable[int] = (signal.SIGINT, signal.SIGTERM)) -> None:
    """Make ``signals`` quit ``app``'s event loop; ``app.exec()`` then returns 0 as after a normal quit."""
    asked: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        asked.append(signum)
        app.quit()  # does nothing before the event loop runs: the timer below quits it then

    for sig in signals:
        signal.signal(sig, on_signal)
    # Python runs a signal handler only between its own bytecodes, and Qt's event loop runs in C++: a timer hands
    # control back to Python a few times a second, so the handler runs within a quarter of a second. It also
    # quits for a signal that came while the program was still starting, before the loop ran.
    wake = QTimer(app)
    wake.timeout.connect(lambda: app.quit() if asked else None)
    wake.start(250)
