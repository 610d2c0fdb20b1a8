"""The compiled-policy snapshot: stored and read back, keyed by every input, ignored whenever
anything about it is wrong, never read from a directory others can write to, and deciding exactly
like a policy loaded from its files."""

from __future__ import annotations

import os
import pickle
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import MakePolicy
from corpus_cases import CASES
from hypothesis import HealthCheck, given, settings
from strategies import valid_requests

from policykit.core import paths, snapshot
from policykit.core.api import Policy, load_policy
from policykit.core.errors import PolicyError, RequestError
from policykit.core.snapshot import (FORMAT, MAGIC, cache_dir, load_policy_snapshot, read_snapshot, snapshot_key,
                                     usable_dir, write_snapshot)

AS_OF = date(2026, 1, 5)


def today() -> date:
    return AS_OF


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory, set as POLICYKIT_CACHE_DIR."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("POLICYKIT_CACHE_DIR", str(directory))
    monkeypatch.delenv("POLICYKIT_NO_CACHE", raising=False)
    return directory


def loads_from_files(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every load from the files (the snapshot's fallback) in the list returned."""
    loaded: list[Path] = []
    real = snapshot._load

    def recording(root, clock, site_url=None):
        loaded.append(root)
        return real(root, clock, site_url)

    monkeypatch.setattr(snapshot, "_load", recording)
    return loaded


def answer(policy: Policy, request: object, alternatives: bool = True) -> object:
    try:
        return policy.decide(request, decision_id="d", alternatives=alternatives).to_dict()
    except RequestError as error:
        return ("error", [problem.to_dict() for problem in error.problems], error.omitted)


# --- where -------------------------------------------------------------------------------------

def test_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir({}) == tmp_path / "home" / ".cache" / "policykit"
    assert cache_dir({"XDG_CACHE_HOME": "/xdg"}) == Path("/xdg/policykit")
    assert cache_dir({"XDG_CACHE_HOME": "relative"}) == tmp_path / "home" / ".cache" / "policykit"
    assert cache_dir({"XDG_CACHE_HOME": "/xdg", "POLICYKIT_CACHE_DIR": "/mine"}) == Path("/mine")
    assert cache_dir({"POLICYKIT_CACHE_DIR": "/mine", "POLICYKIT_NO_CACHE": "1"}) is None
    assert cache_dir({"POLICYKIT_CACHE_DIR": "/mine", "POLICYKIT_NO_CACHE": "0"}) == Path("/mine")


def test_the_directory_is_created_private(tmp_path: Path) -> None:
    directory = tmp_path / "a" / "policykit"
    assert usable_dir(directory)
    assert directory.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777], ids=oct)
def test_a_directory_others_can_write_to_is_not_used(cache: Path, mode: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir(mode=0o700)
    cache.chmod(mode)
    assert not usable_dir(cache)
    loaded = loads_from_files(monkeypatch)
    for _ in range(2):
        assert load_policy_snapshot(today=today).decide(CASES[0].request, as_of=AS_OF).outcome
    assert len(loaded) == 2 and list(cache.iterdir()) == []


def test_a_directory_of_another_user_is_not_used(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(snapshot.os, "geteuid", lambda: os.getuid() + 1)
    assert not usable_dir(cache)
    loaded = loads_from_files(monkeypatch)
    load_policy_snapshot(today=today)
    assert len(loaded) == 1 and list(cache.iterdir()) == []


def test_a_snapshot_file_others_can_write_to_is_not_read(cache: Path) -> None:
    load_policy_snapshot(today=today)
    [file] = cache.iterdir()
    key = snapshot_key(paths.default_policy_dir())
    assert isinstance(read_snapshot(file, key), Policy)
    file.chmod(0o622)
    assert read_snapshot(file, key) is None


def test_no_cache_turns_it_off(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKIT_NO_CACHE", "1")
    loaded = loads_from_files(monkeypatch)
    load_policy_snapshot(today=today)
    load_policy_snapshot(today=today)
    assert len(loaded) == 2 and not cache.exists()


# --- round trip ----------------------------------------------------------------------------------

def test_the_second_load_reads_the_snapshot(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = loads_from_files(monkeypatch)
    first = load_policy_snapshot(today=today)
    [file] = cache.iterdir()
    assert (file.name.endswith(".snapshot"), file.stat().st_mode & 0o777, len(loaded)) == (True, 0o600, 1)
    second = load_policy_snapshot(today=today)
    assert len(loaded) == 1  # read back, not loaded again
    assert second is not first and second.document == first.document == load_policy().document
    assert second.clock is today and second.today() == AS_OF
    # Each process mints its own decision ids.
    assert second.decide(CASES[0].request, as_of=AS_OF).decision_id != first.decide(
        CASES[0].request, as_of=AS_OF).decision_id


def test_snapshots_of_two_policies_live_side_by_side(cache: Path, make_policy: MakePolicy,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    minimal = make_policy()
    loaded = loads_from_files(monkeypatch)
    for _ in range(2):
        assert load_policy_snapshot(minimal).document.root == os.fspath(minimal)
        assert load_policy_snapshot().document.root == os.fspath(paths.default_policy_dir())
    assert len(loaded) == 2 and len(list(cache.iterdir())) == 2


def test_an_invalid_policy_is_reported_and_never_stored(cache: Path, make_policy: MakePolicy) -> None:
    root = make_policy({"clauses/relationships.texting.yaml": "id: [unclosed\n"})
    with pytest.raises(PolicyError) as raised:
        load_policy_snapshot(root)
    with pytest.raises(PolicyError) as again:
        load_policy(root)
    assert raised.value.issues == again.value.issues
    assert list(cache.iterdir()) == []


def test_a_policy_that_cannot_be_pickled_is_not_stored(cache: Path) -> None:
    policy = load_policy()
    policy.document = lambda: None  # type: ignore[assignment]  # pickle cannot store a lambda
    cache.mkdir()
    assert not write_snapshot(cache / "x.snapshot", b"0" * 64, policy)
    assert list(cache.iterdir()) == []


# --- the key -------------------------------------------------------------------------------------

def test_the_key_changes_with_every_policy_file(make_policy: MakePolicy) -> None:
    root = make_policy()
    keys = [snapshot_key(root)]
    clause = sorted((root / "clauses").glob("*.yaml"))[0]
    clause.write_bytes(clause.read_bytes() + b"\n")
    keys.append(snapshot_key(root))
    (root / "clauses" / "extra.yml").write_text("id: x\n", encoding="utf-8")
    keys.append(snapshot_key(root))
    (root / "clauses" / "extra.yml").rename(root / "clauses" / "extra.yaml")
    keys.append(snapshot_key(root))
    (root / "policy.yaml").write_bytes((root / "policy.yaml").read_bytes() + b"# more\n")
    keys.append(snapshot_key(root))
    assert len(set(keys)) == len(keys)
    assert snapshot_key(root) == keys[-1]  # and only a change changes it


def test_the_key_changes_with_the_schemas(make_policy: MakePolicy, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_policy()
    schemas = tmp_path / "schema"
    shutil.copytree(paths.schema_dir(), schemas)
    monkeypatch.setattr(paths, "schema_dir", lambda: schemas)
    before = snapshot_key(root)
    request = schemas / "request.schema.json"
    request.write_bytes(request.read_bytes().replace(b'"description"', b'"description" ', 1))
    assert snapshot_key(root) != before


@pytest.mark.parametrize("source", ["__init__.py", "core/compiler.py", "core/engine.py", "core/loader.py"])
def test_the_key_changes_with_the_package_source(make_policy: MakePolicy, tmp_path: Path, source: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_policy()
    package = tmp_path / "package"
    (package / "core").mkdir(parents=True)
    shutil.copy(snapshot._PACKAGE / "__init__.py", package)
    for path in (snapshot._PACKAGE / "core").glob("*.py"):
        shutil.copy(path, package / "core")
    monkeypatch.setattr(snapshot, "_PACKAGE", package)
    before = snapshot_key(root)
    with (package / source).open("a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    assert snapshot_key(root) != before


def test_the_key_changes_with_the_working_directory(make_policy: MakePolicy, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Loaded clauses name their file relative to the working directory."""
    root = make_policy().resolve()
    before = snapshot_key(root)
    monkeypatch.chdir(tmp_path)
    assert snapshot_key(root) != before


def test_a_file_changed_while_loading_is_not_stored(cache: Path, make_policy: MakePolicy,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_policy()
    real = snapshot._load

    def edited_meanwhile(where, clock, site_url=None):
        policy = real(where, clock, site_url)
        (root / "policy.yaml").write_bytes((root / "policy.yaml").read_bytes() + b"# edited\n")
        return policy

    monkeypatch.setattr(snapshot, "_load", edited_meanwhile)
    load_policy_snapshot(root)
    assert list(cache.iterdir()) == []


# --- a damaged snapshot is ignored and written anew ----------------------------------------------

def _damaged(data: bytes, key: bytes, how: str) -> bytes:
    header = len(MAGIC) + 4 + 8 + len(key) + 8 + 4  # then the payload
    if how == "empty":
        return b""
    if how == "truncated":
        return data[: len(data) // 2]
    if how == "header only":
        return data[:header]
    if how == "flipped payload byte":
        middle = (header + len(data)) // 2
        return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
    if how == "other format":
        return MAGIC + (FORMAT + 1).to_bytes(4, "big") + data[len(MAGIC) + 4:]
    if how == "other key":
        return data[: header - 13] + bytes([data[header - 13] ^ 0x01]) + data[header - 12:]
    if how == "not a policy":
        import zlib

        payload = pickle.dumps({"outcome": "permitted"})
        return data[: header - 12] + len(payload).to_bytes(8, "big") + zlib.crc32(payload).to_bytes(4, "big") + payload
    if how == "garbage":
        return b"\x80\x04garbage" * 100
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["empty", "truncated", "header only", "flipped payload byte", "other format",
                                 "other key", "not a policy", "garbage"])
def test_a_damaged_snapshot_is_ignored_and_rewritten(cache: Path, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    load_policy_snapshot(today=today)
    [file] = cache.iterdir()
    good = file.read_bytes()
    key = snapshot_key(paths.default_policy_dir())
    file.write_bytes(_damaged(good, key, how))
    assert read_snapshot(file, key) is None
    loaded = loads_from_files(monkeypatch)
    policy = load_policy_snapshot(today=today)
    assert len(loaded) == 1
    assert answer(policy, CASES[0].request) == answer(load_policy(today=today), CASES[0].request)
    assert isinstance(read_snapshot(file, key), Policy)  # written anew
    assert [path.name for path in cache.iterdir()] == [file.name]  # no temporary file left behind


def test_a_snapshot_brings_its_generic_encoder_compiled(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykit.core import encoder
    from policykit.core.vocabulary import load_vocabulary

    load_policy_snapshot(today=today)
    monkeypatch.setattr(encoder, "_COMPILED", {})
    policy = load_policy_snapshot(today=today)
    source, code = encoder.generic_encoder(load_vocabulary(), policy.layout)
    assert encoder._COMPILED == {source: code}
    assert answer(policy, CASES[0].request) == answer(load_policy(today=today), CASES[0].request)


def test_a_missing_cache_directory_that_cannot_be_made_falls_back(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("POLICYKIT_CACHE_DIR", str(blocker / "cache"))
    loaded = loads_from_files(monkeypatch)
    assert isinstance(load_policy_snapshot(), Policy) and len(loaded) == 1


# --- the same answers ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fresh_and_cached(tmp_path_factory: pytest.TempPathFactory) -> tuple[Policy, Policy]:
    directory = tmp_path_factory.mktemp("snapshot")
    environ = {"POLICYKIT_CACHE_DIR": str(directory)}
    load_policy_snapshot(today=today, environ=environ)
    [file] = directory.iterdir()
    cached = read_snapshot(file, snapshot_key(paths.default_policy_dir()))
    assert cached is not None
    cached.clock = today
    return load_policy(today=today), cached


def test_the_cached_policy_decides_the_corpus_exactly_like_a_fresh_one(fresh_and_cached) -> None:
    fresh, cached = fresh_and_cached
    for case in CASES:
        for alternatives in (False, True):
            assert answer(cached, case.request, alternatives) == answer(fresh, case.request, alternatives), case.name


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=valid_requests())
def test_the_cached_policy_decides_any_request_like_a_fresh_one(fresh_and_cached, request: dict) -> None:
    """Plain decide(); the corpus test above covers the alternatives, whose search on a random
    request with many unknown facts takes too long for a property test."""
    fresh, cached = fresh_and_cached
    assert answer(cached, request, alternatives=False) == answer(fresh, request, alternatives=False)


def test_a_key_that_cannot_be_computed_falls_back_to_the_files(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Say the working directory was removed: no snapshot is read or written."""
    def gone(root: object) -> bytes:
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(snapshot, "snapshot_key", gone)
    loaded = loads_from_files(monkeypatch)
    assert isinstance(load_policy_snapshot(), Policy)
    assert len(loaded) == 1 and list(cache.iterdir()) == []


def test_a_snapshot_is_kept_per_site_address(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The decisions' clause URLs are compiled in: a snapshot made for one site address (or none)
    is never read back for another."""
    loaded = loads_from_files(monkeypatch)
    request = {"actor": {"role": "teacher"}, "action": "post", "channel": "social_media", "as_of": "2026-01-05",
               "content": ["sexually_explicit"]}
    urls = {}
    for base in (None, "https://policy.example.org/", None, "https://policy.example.org/"):
        decision = load_policy_snapshot(site_url=base).decide(request)
        urls.setdefault(base, set()).add(tuple(r.url for r in decision.reasons))
    assert len(loaded) == 4  # one snapshot file per location: each change of address reloads
    assert {base: len(found) for base, found in urls.items()} == {None: 1, "https://policy.example.org/": 1}
    plain, = urls[None]
    absolute, = urls["https://policy.example.org/"]
    assert plain and absolute == tuple("https://policy.example.org/" + url for url in plain)
    assert load_policy_snapshot(site_url="https://policy.example.org/").site_url == "https://policy.example.org/"
    assert len(loaded) == 4  # the same address again: read back
