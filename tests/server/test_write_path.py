"""Every database write of the hall server goes through the writer thread; the structure makes any other way fail."""

from __future__ import annotations

import ast
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from madoguchi.server.hall_server import HallServer
from madoguchi.server.web.app import ServerSettings, create_app
from tests.support.paths import REPO

WEB = REPO / "madoguchi" / "server" / "web"


@pytest.fixture
def running(tmp_path: Path, example_config_path: Path) -> Iterator[HallServer]:
    app = create_app(ServerSettings(config_path=example_config_path, db_path=tmp_path / "h.db", key_dir=tmp_path / "k"))
    with TestClient(app):
        yield app.state.server


def test_routes_never_hold_a_store_or_the_hall_service() -> None:
    """Routes reach the database through ``HallServer.do`` (and the read-only ``reader`` for tokens and events)."""
    found = []
    for path in WEB.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("store", "writer", "_service", "engine_store"):
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.ImportFrom) and node.module == "madoguchi.server.store":
                names = {a.name for a in node.names}
                if names - {"EventRow"}:
                    found.append(f"{path.name}:{node.lineno}: imports {sorted(names)} from the store")
            if isinstance(node, ast.ImportFrom) and node.module in ("madoguchi.server.engine",):
                names = {a.name for a in node.names}
                if not all(n[0].isupper() and n not in ("QueueEngine",) for n in names):
                    found.append(f"{path.name}:{node.lineno}: imports the engine itself")
    assert not found, "routes that reach around the write path:\n" + "\n".join(found)


def test_the_writing_connection_refuses_any_other_thread(running: HallServer) -> None:
    service = running._service
    assert service is not None
    with pytest.raises(sqlite3.ProgrammingError):
        service.store.last_event_id()  # this test's thread is not the writer
    assert running.writer.call(lambda h: h.store.last_event_id()) >= 0


def test_the_event_loops_connection_refuses_to_write(running: HallServer) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        running.reader.set_meta("anything", "at all")


def test_a_failing_job_is_undone_alone(running: HallServer) -> None:
    def half_then_fail(h: object) -> None:
        running._service.store.set_meta("half", "written")  # type: ignore[union-attr]
        raise ValueError("no")

    futures = [running.writer.submit(lambda h: h.store.set_meta("whole", "1")), running.writer.submit(half_then_fail)]
    assert futures[0].result(10) is None
    with pytest.raises(ValueError):
        futures[1].result(10)
    assert running.reader.get_meta("whole") == "1" and running.reader.get_meta("half") is None


def test_the_server_runs_where_fcntl_does_not_exist(tmp_path: Path) -> None:
    """Windows has no fcntl: the store, the server and its start-up checks must not need it."""
    code = f"""
import sys
sys.modules["fcntl"] = None  # an import of it now fails, as on Windows
from fastapi.testclient import TestClient
from madoguchi.core.config import EXAMPLE_CONFIG
import madoguchi.server.cli, madoguchi.server.startup_checks
from madoguchi.server.web.app import ServerSettings, create_app
db, keys = {str(tmp_path / "h.db")!r}, {str(tmp_path / "k")!r}
app = create_app(ServerSettings(config_path=EXAMPLE_CONFIG, db_path=db, key_dir=keys))
with TestClient(app) as c:
    assert c.get("/healthz").json()["status"] == "ok"
print("fine")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.stdout.strip() == "fine", done.stderr[-2000:]
