"""The compiled-policy snapshot: the loaded, validated, compiled policy stored on disk and read back.

Loading a policy reads every YAML file, checks it against the JSON Schemas and compiles it: about
200 ms, the bulk of a ``policykit decide`` run. The edge (the command line) keeps the result, a
pickled ``Policy``, and the next run reads it back in a few milliseconds without importing the
YAML reader or jsonschema. The library's ``load_policy`` never uses it: a snapshot is asked for.

The key. A snapshot is used only for exactly the inputs it was made from: its key is everything
that determines the loaded policy, read as bytes and never parsed, each part labelled and its length
given:

* ``policy.yaml`` and every entry of ``clauses/`` (names and bytes: an added, removed or renamed
  clause file changes it);
* every file of ``schema/`` (the file formats and the request vocabulary);
* the source of ``policykit/__init__.py`` (the version) and of every ``policykit/core/*.py`` (the
  loader, compiler, engine and this module: editing the code invalidates it), the Python version,
  and the installed PyYAML, jsonschema and referencing (their file's size and modification time);
* the policy directory as given, its resolved path and the working directory (the loaded clauses
  carry their file's path relative to the working directory).

The snapshot stores its key whole and compares it with the inputs byte for byte: no digest, so
no hash function runs over the half megabyte of inputs (with SHA-256 that, and loading OpenSSL for
it, came to a tenth of a ``policykit decide`` process, ``bench/cli.py``), and no two inputs can
share a key.

The file. One file per policy location (a checksum of the location names it, so a changed policy
overwrites its old snapshot instead of piling up; two locations whose names collide would only take
turns overwriting one file), holding a header (a magic string, ``FORMAT``, the key's length, the
key, the payload's length and CRC-32) and the payload: a pickle of the policy and of its generic
request encoder's source and compiled code (``marshal``), which the encoder then need not compile
(``policykit.core.encoder.remember_compiled``). It is written to a temporary file in the same
directory and moved into place with ``os.replace``, so a reader sees a whole old file or a whole new
one. On reading, anything wrong (no file, another format or key, a payload whose length or CRC-32 does
not match, a pickle that fails, an object that is not a ``Policy``) makes it ignored: the policy is
loaded from its files as if there were no cache, and the snapshot is written anew. A snapshot never
changes an answer: at worst it is not used.

Why pickle, and why it is safe here. The compiled program is a graph of frozen values, bit
masks and tables whose fields other modules change freely; pickle stores any of them without a
schema of its own to keep in step, and reads them back faster than anything that would rebuild them.
Unpickling runs code named by the file, so a snapshot is read only from a directory an attacker
cannot write to: the directory must be owned by the user, not writable by the group or others (it
is created 0700), and so must the file (created 0600); otherwise the cache is not used at all. That
is the same trust as the user's own ``~/.cache`` and the ``.pyc`` files Python itself loads.

Where. ``$POLICYKIT_CACHE_DIR``, or else ``$XDG_CACHE_HOME/policykit``, or else
``~/.cache/policykit``. ``POLICYKIT_NO_CACHE=1`` turns the snapshot off."""

from __future__ import annotations

import marshal
import os
import stat
import sys
import zlib
from collections.abc import Callable, Mapping
from importlib.machinery import PathFinder
from pathlib import Path
from typing import TYPE_CHECKING

try:  # CPython's pickler itself, which the pickle module re-exports after defining its Python one (5 M instructions)
    from _pickle import dumps, loads
except ImportError:  # another Python
    from pickle import dumps, loads

from policykit.core.api import Policy, load_policy
from policykit.core.encoder import generic_encoder, remember_compiled
from policykit.core.vocabulary import load_vocabulary
from policykit.core import paths

if TYPE_CHECKING:
    from datetime import date

FORMAT = 2
"""The layout of a snapshot file; a file of another format is ignored."""

MAGIC = b"policykit-snapshot\n"
_PACKAGE = Path(__file__).resolve().parents[1]  # src/policykit
_LIBRARIES = ("yaml", "jsonschema", "referencing")
"""The third-party packages whose reading of the files decides what loads."""


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where snapshots are kept, or None when ``POLICYKIT_NO_CACHE`` turns them off (or there is no
    home directory to keep them in). The directory is not created or checked here."""
    env = os.environ if environ is None else environ
    if env.get("POLICYKIT_NO_CACHE", "") not in ("", "0"):
        return None
    if env.get("POLICYKIT_CACHE_DIR"):
        return Path(env["POLICYKIT_CACHE_DIR"])
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "policykit"
    try:
        return Path.home() / ".cache" / "policykit"
    except (KeyError, RuntimeError):  # no home directory
        return None


def usable_dir(directory: Path) -> bool:
    """Create ``directory`` (0700) if it is missing; True when it is a directory owned by this user
    that neither the group nor others can write to, the only kind a snapshot is read from."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(directory)
    except OSError:
        return False
    return _trusted(info) and stat.S_ISDIR(info.st_mode)


def _trusted(info: os.stat_result) -> bool:
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def snapshot_key(root: Path | str) -> bytes:
    """Everything that determines the policy loaded from ``root`` (see the module's docstring), each
    part labelled and its length given; cheap: files are read as bytes, nothing is parsed (and
    paths stay strings: a ``Path`` per file cost more than reading it)."""
    root = os.fspath(root)
    parts: list[bytes] = []

    def add(label: str, data: bytes) -> None:
        parts.extend((f"{label}\0{len(data)}\0".encode("utf-8", "surrogateescape"), data))

    add("format", str(FORMAT).encode())
    add("python", f"{sys.version}|{sys.implementation.cache_tag}".encode())
    add("location", f"{root}\0{_resolved(root)}\0{os.getcwd()}".encode("utf-8", "surrogateescape"))
    add("policy.yaml", _bytes(os.path.join(root, "policy.yaml")))
    for name, path in _entries(os.path.join(root, "clauses")):
        add(f"clauses/{name}", _bytes(path))
    for name, path in _entries(os.fspath(paths.schema_dir())):
        add(f"schema/{name}", _bytes(path))
    add("policykit/__init__.py", _bytes(os.path.join(_PACKAGE, "__init__.py")))
    for name, path in _entries(os.path.join(_PACKAGE, "core")):
        if name.endswith(".py"):
            add(f"core/{name}", _bytes(path))
    for library in _LIBRARIES:
        add(f"library/{library}", _library_stamp(library))
    return b"".join(parts)


def _resolved(path: str) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return ""


def _entries(directory: str) -> list[tuple[str, str]]:
    """The directory's entries, (name, path), sorted by name; none when it cannot be listed."""
    try:
        with os.scandir(directory) as entries:
            return sorted((entry.name, entry.path) for entry in entries)
    except OSError:
        return []


def _bytes(path: str) -> bytes:
    """The file's bytes; a marker for a directory or a file that cannot be read (distinct from
    any bytes a file could hold, since the length is given with them)."""
    try:
        with open(path, "rb", buffering=0) as handle:
            return handle.readall()
    except IsADirectoryError:
        return b"\0directory"
    except OSError as error:
        return f"\0unreadable {error.errno}".encode()


def _library_stamp(name: str) -> bytes:
    """Where the library's package lives, with its size and modification time (a reinstall or
    an upgrade changes them), found without importing it."""
    spec = PathFinder.find_spec(name)
    origin = spec.origin if spec is not None else None
    if not origin:
        return b"\0absent"
    try:
        info = os.stat(origin)
    except OSError:
        return f"{origin}\0unreadable".encode()
    return f"{origin}\0{info.st_size}\0{info.st_mtime_ns}".encode("utf-8", "surrogateescape")


def snapshot_path(directory: Path, root: Path | str) -> Path:
    """The file holding the snapshot of the policy at ``root`` (one file per location)."""
    location = f"{os.fspath(root)}\0{_resolved(os.fspath(root))}\0{os.getcwd()}".encode("utf-8", "surrogateescape")
    return directory / f"{zlib.crc32(location):08x}{zlib.adler32(location):08x}.snapshot"


def read_snapshot(path: Path, key: bytes) -> Policy | None:
    """The policy stored at ``path`` under ``key``, or None if the file is missing, not trusted
    (not this user's, or writable by others), of another format or key, damaged in any way, or
    does not hold a Policy."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not _trusted(os.fstat(handle.fileno())):
                return None
            data = handle.read()
    except OSError:
        return None
    header = _header(key)
    start = len(header) + 12
    if not data.startswith(header) or len(data) < start:
        return None
    payload = memoryview(data)[start:]
    if (len(payload), zlib.crc32(payload)) != (int.from_bytes(data[start - 12:start - 4], "big"),
                                               int.from_bytes(data[start - 4:start], "big")):
        return None
    try:
        policy, encoder = loads(payload)
        if type(policy) is not Policy:
            return None
        remember_compiled(*marshal.loads(encoder))
    except Exception:  # a damaged or outdated pickle is no snapshot
        return None
    return policy


def _header(key: bytes) -> bytes:
    """What a snapshot file under ``key`` starts with: the magic string, the format, the key's
    length and the key (then come the payload's length and CRC-32, and the payload)."""
    return MAGIC + FORMAT.to_bytes(4, "big") + len(key).to_bytes(8, "big") + key


def write_snapshot(path: Path, key: bytes, policy: Policy) -> bool:
    """Store ``policy`` under ``key`` at ``path`` atomically (a temporary file, then ``os.replace``);
    False (and nothing left behind) if it cannot be written."""
    try:
        encoder = marshal.dumps(generic_encoder(load_vocabulary(), policy.layout))
        payload = dumps((policy, encoder), protocol=-1)  # the highest protocol
    except Exception:  # something in the policy that pickle cannot store: no snapshot, no harm
        return False
    data = b"".join((_header(key), len(payload).to_bytes(8, "big"), zlib.crc32(payload).to_bytes(4, "big"), payload))
    import tempfile  # deferred: 3 M instructions (random, shutil) that only a snapshot's writer needs

    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".snapshot-", suffix=".tmp")  # mode 0600
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return False
    return True


def load_policy_snapshot(path: str | Path | None = None, *, today: Callable[[], date] | None = None,
                         environ: Mapping[str, str] | None = None, site_url: str | None = None) -> Policy:
    """``load_policy(path, today=today, site_url=site_url)``, read from the snapshot when one matches the files, else
    loaded from them and stored for the next time. Raises ``PolicyError`` as ``load_policy`` does
    (an invalid policy is never stored). With the cache off or its directory refused, it is
    exactly ``load_policy``."""
    root = Path(path) if path is not None else paths.default_policy_dir()
    directory = cache_dir(environ)
    if directory is None or not usable_dir(directory):
        return _load(root, today, site_url)
    try:
        key = _with_site(snapshot_key(root), site_url)
        file = snapshot_path(directory, root)
    except OSError:  # say, a working directory that was removed: no snapshot, the files as they are
        return _load(root, today, site_url)
    policy = read_snapshot(file, key)
    if policy is not None:
        policy.clock = today
        return policy
    policy = _load(root, today, site_url)
    if _with_site(snapshot_key(root), site_url) == key:  # not if a file changed while it was being loaded
        write_snapshot(file, key, policy)
    return policy


def _with_site(key: bytes, site_url: str | None) -> bytes:
    """The key of a policy loaded with the site address ``site_url``: its decisions' clause URLs are
    compiled in, so a snapshot made for one address (or none) is never read back for another."""
    if not site_url:
        return key
    return key + f"site_url\0{len(site_url)}\0{site_url}".encode("utf-8", "surrogateescape")


def _load(root: Path, today: Callable[[], date] | None, site_url: str | None) -> Policy:
    return load_policy(root, today=today, site_url=site_url)
