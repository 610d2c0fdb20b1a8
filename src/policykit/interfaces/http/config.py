"""What the service accepts and how it is set up: ``Limits`` and ``ServerConfig``, given in
code or read from the POLICYKIT_* variables that ``policykit serve`` sets for its workers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from policykit.core.request import MAX_ERRORS


@dataclass(frozen=True)
class Limits:
    """What the service accepts; anything beyond gets a 4xx (or a 503 when it is busy)."""

    max_body_bytes: int = 1_048_576
    max_batch: int = 1000
    max_depth: int = 32
    request_seconds: float = 10.0  # to send the body, once the head has arrived
    max_errors: int = MAX_ERRORS  # problems listed for one request; the rest are counted
    max_batch_errors: int = 100  # problems listed in one batch; later malformed requests are not explained
    max_error_bytes: int = 65_536  # the largest error body
    max_pending: int = 64  # policy work queued or running at once; beyond it, 503 and Retry-After
    threads: int = 0  # threads doing policy work; 0: default_threads(), one per core but one


@dataclass(frozen=True)
class ServerConfig:
    """How one service is set up: its limits, bearer token, decision log and built site."""

    limits: Limits = Limits()
    token: str | None = None  # when set, /v1/ endpoints need "Authorization: Bearer <token>"
    decision_log: Path | None = None
    decision_log_max_bytes: int = 64 * 1024 * 1024  # then the log is rotated ...
    decision_log_backups: int = 4  # ... keeping this many older files: at most 5 x 64 MiB on disk
    site_dir: Path | None = None


DEFAULT_LIMITS = Limits()
DEFAULT_CONFIG = ServerConfig()


def _number(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(f"POLICYKIT_{name}")
    return int(text) if text else default


def environment_limits(env: Mapping[str, str]) -> Limits:
    """The limits POLICYKIT_MAX_BODY_BYTES, _MAX_BATCH, _MAX_DEPTH, _REQUEST_SECONDS,
    _MAX_PENDING and _THREADS give, each defaulting to ``Limits``'s own."""
    seconds = env.get("POLICYKIT_REQUEST_SECONDS")
    return Limits(
        max_body_bytes=_number(env, "MAX_BODY_BYTES", Limits.max_body_bytes),
        max_batch=_number(env, "MAX_BATCH", Limits.max_batch),
        max_depth=_number(env, "MAX_DEPTH", Limits.max_depth),
        request_seconds=float(seconds) if seconds else Limits.request_seconds,
        max_pending=_number(env, "MAX_PENDING", Limits.max_pending),
        threads=_number(env, "THREADS", Limits.threads),
    )


def environment_config(env: Mapping[str, str]) -> ServerConfig:
    """The configuration ``policykit serve`` hands its workers through POLICYKIT_* variables."""
    token_file = env.get("POLICYKIT_TOKEN_FILE")
    log = env.get("POLICYKIT_DECISION_LOG")
    site = env.get("POLICYKIT_SITE")
    return ServerConfig(limits=environment_limits(env),
                        token=Path(token_file).read_text(encoding="utf-8").strip() if token_file else None,
                        decision_log=Path(log) if log else None,
                        decision_log_max_bytes=_number(env, "DECISION_LOG_MAX_BYTES",
                                                       ServerConfig.decision_log_max_bytes),
                        decision_log_backups=_number(env, "DECISION_LOG_BACKUPS", ServerConfig.decision_log_backups),
                        site_dir=Path(site) if site else None)
