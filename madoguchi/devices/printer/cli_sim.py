"""``madoguchi printer-sim``: run the ESC/POS printer simulator on a TCP port until interrupted.

Control it by typing commands on stdin (``state paper_out``, ``speed 250``, ``paper 30``, ``status``, ``help``)
or through ``--control-port`` with the same one-line commands (e.g. ``echo "state ok" | nc 127.0.0.1 9101``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

STATES = ("ok", "near_end", "paper_out", "cover_open", "cutter_error", "silent")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=9100, help="TCP port to listen on (default 9100)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--state", choices=STATES, default="ok", help="initial printer state")
    parser.add_argument("--speed-mm-s", type=float, default=None, help="print speed limit in mm/s (default: none)")
    parser.add_argument("--out", type=Path, default=None, help="folder for one PNG per printed job")
    parser.add_argument("--profile", default="TM-T20II", help="paper width and resolution (default TM-T20II)")
    parser.add_argument("--control-port", type=int, default=None, help="also accept control commands on this port")


def run(args: argparse.Namespace) -> int:
    import signal
    import sys
    import threading

    from madoguchi.devices.printer.errors import PrinterError
    from madoguchi.devices.printer.profiles import get_profile
    from madoguchi.devices.printer.sim_links import ControlServer, TcpPrinterServer
    from madoguchi.devices.printer.simulator import SimulatedPrinter

    try:
        profile = get_profile(args.profile)
    except PrinterError as exc:
        print(exc.detail, file=sys.stderr)
        return 2
    printer = SimulatedPrinter(profile.width_dots, profile.dpi, args.state, args.speed_mm_s, args.out)
    printer.job_listeners.append(
        lambda job: print(f"job {job.index}: {'complete' if job.complete else 'INCOMPLETE'} {job.png_path or ''}")
    )
    printer.start()
    try:
        server = TcpPrinterServer(printer, args.host, args.port)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        printer.stop()
        return 1
    server.start()
    control = ControlServer(printer, args.host, args.control_port) if args.control_port is not None else None
    if control is not None:
        control.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"printer simulator on tcp://{server.host}:{server.port}?profile={profile.name} state={printer.state}")
    print("commands on stdin: " + printer.apply_command("help").removeprefix("commands: "), flush=True)

    def read_stdin() -> None:
        for line in sys.stdin:
            if line.strip() in {"quit", "exit"}:
                stop.set()
                return
            print(printer.apply_command(line), flush=True)
        # stdin closed (e.g. started in the background): keep serving until a signal arrives

    threading.Thread(target=read_stdin, daemon=True).start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if control is not None:
            control.stop()
        server.stop()
        printer.stop()
    return 0
