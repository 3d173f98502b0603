"""The hall server inside the demo process: uvicorn on a loopback port, on its own thread."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import uvicorn

from madoguchi.client.hall_client import wait_until_up
from madoguchi.core.config import HallConfig
from madoguchi.server.web import ServerSettings, create_app


class ServerThread:
    def __init__(self, config: HallConfig, config_path: Path, data_dir: Path, port: int) -> None:
        self.port = port
        app = create_app(
            ServerSettings(
                config_path=config_path,
                db_path=data_dir / "hall.sqlite3",
                key_dir=data_dir / "keys",
                public_url=self.base_url,
                config=config,
            )
        )
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")
        )
        self._thread = threading.Thread(target=self._server.run, name="hall-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        self._thread.start()
        if not wait_until_up(self.base_url, timeout):
            raise RuntimeError("the demo hall server did not start")

    def stop(self) -> None:
        self._server.should_exit = True
        deadline = time.monotonic() + 5
        while self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
