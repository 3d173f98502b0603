"""A small tmpfs for the hall's database folder, so the soak can make the disk briefly full.

Mounting needs root (CAP_SYS_ADMIN); without it the fault is skipped and the report says so. The fault truncates
the WAL (like the day roll's checkpoint), writes a filler file until ENOSPC and deletes it after the fault's
duration: meanwhile SQLite refuses writes with SQLITE_FULL, the server answers 500 and the clients retry.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

SIZE_MB = 64
CHUNK = b"\0" * (1 << 20)


class TinyDisk:
    def __init__(self, mount_point: Path, size_mb: int = SIZE_MB) -> None:
        self.mount_point = mount_point
        self.size_mb = size_mb
        self.mounted = False
        self.reason = ""

    def mount(self) -> bool:
        self.mount_point.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            self.reason = "not root: cannot mount a tmpfs for the database"
            return False
        proc = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m,mode=0700", "soak-hall", str(self.mount_point)],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            self.reason = f"mount refused: {proc.stderr.strip()[:120]}"
            return False
        self.mounted = True
        return True

    @property
    def filler(self) -> Path:
        return self.mount_point / "filler.bin"

    def fill(self) -> int:
        """Write until the disk is full; returns the MB written."""
        written = 0
        with self.filler.open("wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(CHUNK)
                    written += 1
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
        # the last partial chunk may leave a few KB: take them too
        with contextlib.suppress(OSError), self.filler.open("ab", buffering=0) as fh:
            while True:
                fh.write(b"\0" * 4096)
        return written

    @staticmethod
    def truncate_wal(db_path: Path) -> None:
        """Checkpoint and truncate the WAL, as the server does at the day roll, so its next writes need new blocks.

        Without this a full disk changes nothing for a while: SQLite reuses the WAL space it already has.
        The checkpoint copies committed pages only; it never changes what the database says.
        """
        conn = sqlite3.connect(db_path, timeout=10)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def copy_out_and_unmount(self, target: Path) -> Path:
        """Keep the database (and its WAL) for the checks, then unmount."""
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(self.mount_point, target, ignore=shutil.ignore_patterns("filler.bin"))
        if self.mounted:
            subprocess.run(["umount", str(self.mount_point)], check=False)
            self.mounted = False
        return target
