"""The decision log: every decision the service gives, as JSON Lines, rotated by size."""

from __future__ import annotations

import fcntl
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

import orjson

from policykit.core.decision import Decision


class DecisionLog:
    """JSON Lines, one decision per line, each written with a single append so that a crash
    loses at most the line being written. Past ``max_bytes`` the file is rotated (``FILE`` ->
    ``FILE.1`` -> ... -> ``FILE.<backups>``, the oldest deleted), so the log holds at most
    ``(backups + 1) * max_bytes`` bytes. Several worker processes may share one log: rotation
    takes an advisory lock, and a process whose file was rotated by another reopens the new one."""

    def __init__(self, path: Path, max_bytes: int = 64 * 1024 * 1024, backups: int = 4):
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self._lock = threading.Lock()
        self._fd = self._open()

    def _open(self) -> int:
        return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)

    def write(self, decision: Decision, request: object) -> None:
        """Append one decision and the request it answers (rotating first when it would not fit)."""
        record = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
                  "decision_id": decision.decision_id, "digest": decision.policy.digest, "request": request,
                  "outcome": decision.outcome, "reasons": [r.id for r in decision.reasons]}
        line = orjson.dumps(record) + b"\n"
        with self._lock:
            if self.max_bytes and os.fstat(self._fd).st_size + len(line) > self.max_bytes:
                self._rotate()
            os.write(self._fd, line)

    def _rotate(self) -> None:
        mine = os.fstat(self._fd)
        with open(f"{self.path}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                current: os.stat_result | None = os.stat(self.path)
            except FileNotFoundError:
                current = None
            if current is not None and (current.st_ino, current.st_dev) == (mine.st_ino, mine.st_dev):
                # Still the live file, so no other process rotated it first: shift the backups.
                self._shift()
            os.close(self._fd)
            self._fd = self._open()

    def _shift(self) -> None:
        for index in range(self.backups, 0, -1):
            older = Path(f"{self.path}.{index}")
            if index == self.backups:
                older.unlink(missing_ok=True)
            elif older.exists():
                older.rename(f"{self.path}.{index + 1}")
        if self.backups:
            os.rename(self.path, f"{self.path}.1")
        else:
            os.unlink(self.path)

    def close(self) -> None:
        """Close the log's file."""
        os.close(self._fd)
