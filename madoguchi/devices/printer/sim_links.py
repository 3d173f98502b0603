"""How the printer simulator is reached: a loopback TCP port (like a port-9100 printer), a pty (like a serial
printer), and a line-based control port for the CLI."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading

from madoguchi.devices.printer.simulator import SimulatedPrinter

log = logging.getLogger(__name__)


class TcpPrinterServer:
    """Serves one client at a time, like most port-9100 print servers."""

    def __init__(self, printer: SimulatedPrinter, host: str = "127.0.0.1", port: int = 0) -> None:
        self.printer = printer
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(0.2)
        self.host, self.port = self._listener.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=f"printer-sim-tcp-{self.port}", daemon=True)
        self._client: socket.socket | None = None

    def start(self) -> None:
        self._thread.start()

    def drop_client(self) -> None:
        """Close the current host connection, as a rebooting printer would."""
        client = self._client
        if client is not None:
            with contextlib.suppress(OSError):
                client.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        self._stop.set()
        self.drop_client()
        self._thread.join(timeout=5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._client = conn
            lock = threading.Lock()

            def reply(data: bytes, conn: socket.socket = conn, lock: threading.Lock = lock) -> None:
                with lock:
                    conn.sendall(data)

            self.printer.attach(reply)
            conn.settimeout(0.2)
            try:
                while not self._stop.is_set():
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not data:
                        break
                    self.printer.receive(data)
            finally:
                self.printer.attach(None)
                self._client = None
                conn.close()


class FdPrinterLink:
    """Serve the simulator on a file descriptor, e.g. the master side of a pty whose slave is the 'serial port'."""

    def __init__(self, printer: SimulatedPrinter, fd: int) -> None:
        self.printer = printer
        self.fd = fd
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="printer-sim-fd", daemon=True)

    def start(self) -> None:
        self.printer.attach(self._reply)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.printer.attach(None)

    def _reply(self, data: bytes) -> None:
        os.write(self.fd, data)

    def _serve(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if not ready:
                continue
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # slave side closed: wait for the next open
                self._stop.wait(0.05)
                continue
            if data:
                self.printer.receive(data)


class ControlServer:
    """Line-based control port: send ``state paper_out``, get one line back (see ``apply_command``)."""

    def __init__(self, printer: SimulatedPrinter, host: str = "127.0.0.1", port: int = 0) -> None:
        self.printer = printer
        self._listener = socket.create_server((host, port))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="printer-sim-control", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            # Separate reader and sendall: a read-write text wrapper drops read-ahead lines after each write.
            with conn, conn.makefile("r", encoding="utf-8", newline="\n") as lines:
                conn.settimeout(5)
                try:
                    for line in lines:
                        conn.sendall((self.printer.apply_command(line) + "\n").encode("utf-8"))
                except OSError:
                    continue
