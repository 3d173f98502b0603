"""The first step of every Madoguchi process (server, kiosk, staff console, board, admin console, demo, soak):
logging through the personal-data guard, and unhandled errors logged as one line without their message.

An exception's message may hold what a resident typed or what a card held; Python's default hooks would print
it with the traceback. Here an unhandled error is logged as its type and where it was raised.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from madoguchi.core.logging_setup import setup_logging


def where_raised(exc: BaseException) -> str:
    """``file.py:123`` of the innermost frame of an exception's traceback ("" without one)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else ""


def start_process(app: str, log_dir: Path | None = None, *, rotate: bool = True) -> logging.Logger:
    """Configure this process's logging (stderr, and ``log_dir/<app>.log`` when given) and its error hooks."""
    logger = setup_logging(app, log_dir, rotate=rotate)

    def unhandled(kind: type[BaseException], exc: BaseException, _tb: TracebackType | None) -> None:
        logger.critical("unhandled error: %s at %s", kind.__name__, where_raised(exc))

    def unhandled_in_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        where = where_raised(args.exc_value) if args.exc_value is not None else ""
        logger.error("unhandled error in thread %s: %s at %s", name, args.exc_type.__name__, where)

    sys.excepthook = unhandled
    threading.excepthook = unhandled_in_thread
    return logger
