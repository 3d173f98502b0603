"""A loopback HTTP/1.1 proxy in front of the hall server that loses chosen answers on the way back.

Every request is forwarded whole and its answer read whole from the server, so the server has done the work;
for a request named in ``cut`` (method, path) the proxy then closes the client's connection instead of passing
the answer on: the server stored the ticket, the kiosk never heard of it. Everything else passes unchanged.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


def _read_message(sock: socket.socket, buf: bytes, *, response: bool) -> tuple[bytes, bytes]:
    """One HTTP message (head and Content-Length body) from ``sock``; returns (message, what was read after it).
    An empty message means the peer closed the connection."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return b"", b""
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    status = head.split(b" ", 2)[1] if response else b""
    if status in (b"204", b"304"):
        length = 0
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


class CuttingProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        #: (method, path) of requests whose answers are lost
        self.cut: set[tuple[str, str]] = set()
        #: requests the server answered and the client never heard
        self.lost: list[tuple[str, str]] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="cutting-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=10)
        except OSError:  # the server is down: so is the proxy, for this connection
            client.close()
            return
        with client, upstream:
            asked, answered = b"", b""
            while True:
                try:
                    request, asked = _read_message(client, asked, response=False)
                    if not request:
                        return
                    method, path = request.split(b" ", 2)[:2]
                    upstream.sendall(request)
                    reply, answered = _read_message(upstream, answered, response=True)
                    if not reply:
                        return
                    if (method.decode(), path.decode()) in self.cut:
                        self.lost.append((method.decode(), path.decode()))
                        return  # the server did it; the client's connection just drops
                    client.sendall(reply)
                except OSError:
                    return

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._thread.join(2)


@contextlib.contextmanager
def cutting_proxy(upstream_port: int) -> Iterator[CuttingProxy]:
    proxy = CuttingProxy(upstream_port)
    try:
        yield proxy
    finally:
        proxy.close()
