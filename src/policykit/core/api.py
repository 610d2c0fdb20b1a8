"""The Python API: load the policy once, then ask it questions.

    >>> import policykit
    >>> policy = policykit.load_policy()
    >>> decision = policy.decide({"actor": {"role": "teacher"}, "action": "message",
    ...                           "channel": "text_message", "audience": ["student"],
    ...                           "purpose": "personal"}, as_of=date(2026, 1, 5))
    >>> decision.outcome
    'prohibited'

This layer is the shell around the pure engine: it reads files once and mints decision ids. It
never reads the clock: a request without a date is answered as of ``as_of=`` or, failing that, as
of the ``today`` callable the caller injected when loading (the one clock seam: the CLI, the
server and the site build pass ``policykit.interfaces.clock.now``, the tests a fixed day or
instant). A clock that gives an instant (an aware ``datetime``) is read in the policy's time zone
(``time_zone`` in policy.yaml), so every evaluator's today is the district's."""

from __future__ import annotations

import bisect
import itertools
import os
import sys
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core import engine
from policykit.core.alternatives import SearchBudget, Searcher, search_budget
from policykit.core.cache import ByteBoundedLRU
from policykit.core.compiler import AtomLayout, Program, compile_program, site_base_url
from policykit.core.decision import Decision, PolicyStamp, Verdict, plain_decision
from policykit.core.errors import RequestError, RequestProblem
from policykit.core.messages import Messages, load_messages
from policykit.core.paths import default_policy_dir
from policykit.core.encoder import build_encoder
from policykit.core.request import MAX_ERRORS, Encoded, bounded_request_problems, valid_date
from policykit.core.requestjson import MAX_DEPTH, parse_json
from policykit.core.vocabulary import Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from policykit.core.model import PolicyDocument

CACHE_BYTES = 64 * 1024 * 1024
"""The verdict cache's default budget: 64 MiB, some 75,000 verdicts of about 900 bytes each (docs/performance.md)."""


class Policy:
    """A loaded, compiled policy. Thread-safe for ``decide``; build it once and reuse it."""

    def __init__(self, document: PolicyDocument, *, today: Callable[[], date] | None = None,
                 template: "Policy | None" = None, site_url: str | None = None):
        """``template``: a policy whose request layout, encoder and compiled conditions this one
        shares, so that many variants of one policy are cheap to build (mutation testing); such a
        variant's decisions carry no digest. ``site_url``: the staff site's base URL (an absolute
        http(s) address); the reasons' ``url``s are then absolute, else relative to the site's root.
        ValueError when it is not such an address."""
        self.document = document
        self._today = today
        self.site_url = site_base_url(site_url)
        vocabulary = load_vocabulary()
        self.layout = template.layout if template is not None else AtomLayout.from_vocabulary(vocabulary)
        self._searcher = Searcher(vocabulary, document, self.layout,
                                  template._searcher.budget if template is not None else search_budget())
        # The words of the answers (schema/messages.yaml), read once and shared by every program.
        self.messages: Messages = template.messages if template is not None else load_messages()
        # One program per period between effective dates: every clause version in force is fixed
        # within a period, so a question's date only has to find its period.
        self._starts = list(document.effective_dates())
        if template is not None:  # a variant of the template's policy: share its compiled conditions
            self._terms = template._terms
            self._programs = [compile_program(document, day, self.layout, terms_cache=self._terms, digest=False,
                                              messages=self.messages, site_url=self.site_url)
                              for day in self._starts]
        else:
            self._terms: dict = {}
            self._programs = [compile_program(document, day, self.layout, terms_cache=self._terms,
                                              messages=self.messages, site_url=self.site_url)
                              for day in self._starts]
        self._first = self._starts[0]
        self._start_process(vocabulary, template._encode if template is not None else None)

    _PER_PROCESS = ("_today", "_encode", "_id_prefix", "_ids", "_days", "_verdicts", "_cache_on", "_seen_titles")
    """What a pickled Policy leaves out and makes anew (``_start_process``): the clock, the encoder (a
    closure), the decision ids (a fresh random prefix, so two processes never mint the same id) and
    the caches (one holds a lock)."""

    def _start_process(self, vocabulary: Vocabulary,
                       encode: Callable[[object], Encoded | None] | None = None) -> None:
        self._encode = encode if encode is not None else build_encoder(vocabulary, self.layout)
        self._id_prefix = os.urandom(6).hex() + "-"
        self._ids = itertools.count(1)
        # as_of text -> (index of the program in force, the decision's stamp), for dates already asked about
        self._days: dict[str, tuple[int, PolicyStamp]] = {}
        # evaluate() is pure, so its verdicts can be remembered: (program, true, unknown, reread) -> verdict.
        self._verdicts: ByteBoundedLRU[Verdict] = ByteBoundedLRU(CACHE_BYTES, _verdict_bytes)
        self._cache_on = True
        # Who else can see it (seen_by) in words: each value and its title, in the schema's order.
        self._seen_titles = tuple((value.name, value.title) for value in vocabulary["seen_by"].values)

    def __getstate__(self) -> dict[str, object]:
        """What was loaded and compiled from the files (policykit.core.snapshot stores it), without
        the per-process parts; whatever else ``__init__`` builds is kept as it is."""
        return {name: value for name, value in self.__dict__.items() if name not in self._PER_PROCESS}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._today = None
        self._start_process(load_vocabulary())

    @property
    def cache_bytes(self) -> int:
        """The most memory (estimated) the verdict cache may hold; the least recently used
        verdicts are evicted past it. 0 turns the cache off."""
        return self._verdicts.max_bytes

    @cache_bytes.setter
    def cache_bytes(self, value: int) -> None:
        self._verdicts.max_bytes = value
        self._cache_on = self._verdicts.max_bytes > 0

    # The name the cache's size had when it counted entries: ``cache_size = 0`` still turns it off.
    cache_size = cache_bytes

    @property
    def clock(self) -> Callable[[], date] | None:
        """The injected clock (``today=`` at construction), or None."""
        return self._today

    @clock.setter
    def clock(self, today: Callable[[], date] | None) -> None:
        self._today = today

    def today(self) -> date:
        """The day a question without a date is about: the injected clock's reading, which is a day,
        or an instant (an aware ``datetime``) read as the date in the policy's time zone
        (``document.time_zone``). Raises RequestError when the policy was loaded without a clock
        (library code never reads the clock), ValueError for an instant without its UTC offset."""
        if self._today is None:
            raise RequestError([RequestProblem("/as_of", "the request gives no date (as_of) and no clock was "
                                                         "given when the policy was loaded; pass as_of, or load "
                                                         "the policy with today=...")])
        return self.date_at(self._today())

    def date_at(self, moment: date) -> date:
        """The policy's date at ``moment``: an instant (an aware ``datetime``) read in the policy's
        time zone, or a ``date`` as it is. ValueError for a ``datetime`` without its UTC offset."""
        if not isinstance(moment, datetime):
            return moment
        if moment.utcoffset() is None:
            raise ValueError(f"{moment.isoformat()} has no UTC offset: the clock must give an instant "
                             "(an aware datetime) or a date")
        from zoneinfo import ZoneInfo  # deferred: 10 M instructions (sysconfig) a request with a date never needs

        return moment.astimezone(ZoneInfo(self.document.time_zone)).date()

    @property
    def first_date(self) -> date:
        """The earliest date the policy can answer for (its first encoded revision)."""
        return self._first

    def program(self, day: date) -> Program:
        """The compiled clauses in force on ``day``; RequestError before the first revision."""
        index = bisect.bisect_right(self._starts, day) - 1
        if index < 0:
            raise RequestError([_too_early(day, self._first)])
        return self._programs[index]

    def decide(self, request: object, *, as_of: date | None = None, decision_id: str | None = None,
               alternatives: bool = False, cached_only: bool = False,
               budget: SearchBudget | None = None) -> Decision:
        """Answer one request.

        ``request`` is a dict following ``schema/request.schema.json``. Its own ``as_of`` wins;
        otherwise ``as_of`` here, otherwise the injected clock (``today=`` at construction). Raises ``RequestError`` (with every problem,
        each with a JSON pointer) for a malformed request or a date before the first revision.

        With ``alternatives=True`` the decision also carries ``alternatives`` (for a decision that
        is not permitted: the ways to do the same thing within the policy, see
        ``policykit.core.alternatives``) and ``questions`` (for an undetermined one: the facts to ask,
        the one that settles most first). Plain ``decide()`` does none of that work. The search
        tries at most the decision schema's ``x-search-budget`` change sets, or what is left of
        ``budget`` (one budget shared by the requests of a batch, or withdrawn when the client has
        gone); ``alternatives_complete`` says whether it finished.

        ``cached_only`` answers only from the verdict cache, with next to no work: None (not an
        error) when the request is malformed or its verdict has to be evaluated.
        """
        encoded = self._encode(request)
        if encoded is None:
            if cached_only:
                return None  # type: ignore[return-value]
            raise self.request_error(request)
        true, unknown, as_of_text, reread = encoded
        if as_of_text is None:
            as_of_text = (as_of if as_of is not None else self.today()).isoformat()
        day = self._days.get(as_of_text)
        if day is None:
            day = self._day(as_of_text)
        index, stamp = day
        if cached_only:
            verdict = self._verdicts.get((index, true, unknown, reread))
            if verdict is None or alternatives:
                return None  # type: ignore[return-value]
        elif self._cache_on:
            verdict = self._verdict(index, true, unknown, reread)
        else:
            verdict = engine.evaluate(self._programs[index], true, unknown, reread)
        if decision_id is None:
            decision_id = self._id_prefix + format(next(self._ids), "x")
        said = self._seen_by(request, verdict) if request.get("seen_by") else verdict  # type: ignore[union-attr]
        if not alternatives:
            return plain_decision(said, stamp, decision_id)
        program = self._programs[index]

        def evaluate(t: int, u: int, r: int) -> Verdict:
            return self._verdict(index, t, u, r)

        found, complete = self._searcher.alternatives(program, evaluate, true, unknown, reread, verdict, budget)
        return Decision(said, stamp, decision_id, found,
                        self._searcher.questions(evaluate, true, unknown, reread, verdict), complete)

    def _seen_by(self, request: dict, verdict: Verdict) -> Verdict:
        """``verdict`` saying who else can see it: the values of ``seen_by`` not in the audience,
        by their titles (no rule reads ``seen_by``, so nothing else changes)."""
        seen, audience = request["seen_by"], request.get("audience", ())
        titles = [title for name, title in self._seen_titles if name in seen and name not in audience]
        return engine.with_seen_by(verdict, engine.seen_by_sentence(self.messages, titles)) if titles else verdict

    def _day(self, as_of_text: str) -> tuple[int, PolicyStamp]:
        """The program in force on a date given as text, and the stamp of decisions about it;
        RequestError before the first revision. Remembered for up to 4,096 dates."""
        day = date.fromisoformat(as_of_text)
        if day < self._first:
            raise RequestError([_too_early(day, self._first)])
        index = bisect.bisect_right(self._starts, day) - 1
        program = self._programs[index]
        found = (index, PolicyStamp(program.policy_id, program.revision, program.digest, as_of_text))
        if len(self._days) < 4096:
            self._days[as_of_text] = found
        return found

    def _verdict(self, index: int, true: int, unknown: int, reread: int) -> Verdict:
        key = (index, true, unknown, reread)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = engine.evaluate(self._programs[index], true, unknown, reread)
            self._verdicts.put(key, verdict)
        return verdict

    def decide_json(self, text: str | bytes, *, as_of: date | None = None, decision_id: str | None = None,
                    alternatives: bool = False,
                    max_depth: int = MAX_DEPTH) -> Decision:
        """Answer a request given as JSON text. Beyond ``decide``'s errors, raises
        ``policykit.core.requestjson.JsonInputError`` (a RequestError) for text that is not JSON, is
        nested more than ``max_depth`` levels, or names a key twice in one object."""
        return self.decide(parse_json(text, max_depth=max_depth), as_of=as_of, decision_id=decision_id,
                           alternatives=alternatives)

    def encode(self, request: object) -> tuple[int, int, int] | None:
        """The request as the engine reads it: (true bits, unknown bits, read-as bits) in
        ``layout``; None when the request schema refuses it."""
        encoded = self._encode(request)
        return None if encoded is None else (encoded[0], encoded[1], encoded[3])

    def encodes(self, request: object) -> bool:
        """Whether ``request`` follows the request schema (cheap: the fast check alone)."""
        return self._encode(request) is not None

    def request_error(self, request: object) -> RequestError:
        """The error for a request the schema refuses: the first ``MAX_ERRORS`` problems by
        pointer, and a count of the rest. Its cost is bounded by the schema, not the request."""
        problems, omitted = bounded_request_problems(request)
        if not problems:
            problems = [RequestProblem("", "the request does not match the request schema")]
        as_of_text = request.get("as_of") if isinstance(request, dict) else None
        if valid_date(as_of_text) and date.fromisoformat(as_of_text) < self._first:
            problems = sorted([*problems, _too_early(date.fromisoformat(as_of_text), self._first)],
                              key=lambda problem: problem.pointer)
        if len(problems) > MAX_ERRORS:
            omitted += len(problems) - MAX_ERRORS
            problems = problems[:MAX_ERRORS]
        return RequestError(problems, omitted)

    def decide_many(self, requests: Iterable[object], *, as_of: date | None = None) -> list[Decision | RequestError]:
        """Answer several requests; a malformed one yields its RequestError in its place. A
        request without its own as_of is answered for ``as_of``, or for the day the batch began."""
        day = as_of if as_of is not None else self.today() if self._today is not None else None
        decide = self.decide
        results: list[Decision | RequestError] = []
        append = results.append
        for request in requests:
            try:
                append(decide(request, as_of=day))
            except RequestError as error:
                append(error)
        return results


def _verdict_bytes(key: Hashable, verdict: Verdict) -> int:
    """An estimate of what one cached verdict holds beyond what the program shares (the clauses'
    reasons and notices): its key, the verdict, its tuples, obligations and explanation."""
    size = sys.getsizeof
    total = size(key) + sum(size(part) for part in key) if isinstance(key, tuple) else size(key)
    total += size(verdict) + size(verdict.explanation)
    for part in (verdict.reasons, verdict.obligations, verdict.notices, verdict.missing_facts,
                 verdict.possible_outcomes):
        total += size(part)
    return total + sum(size(obligation) for obligation in verdict.obligations)


def _too_early(day: date, first: date) -> RequestProblem:
    return RequestProblem("/as_of", f"{day.isoformat()} is before {first.isoformat()}, the earliest revision "
                                    "on record; the policy's earlier text is not encoded, so questions about "
                                    "earlier dates cannot be answered")


def load_policy(path: str | Path | None = None, *, today: Callable[[], date] | None = None,
                site_url: str | None = None) -> Policy:
    """Load and compile a policy directory (None: the project's own ``policy/``). ``today`` is the
    clock for questions that give no date: it gives a day, or an instant that the policy reads in
    its time zone (the edge passes ``policykit.interfaces.clock.now``; tests a fixed day).
    ``site_url`` is the staff site's base URL, making decisions' clause ``url``s absolute
    (``https://…/sections/relationships.html#relationships.texting-and-calling``); without it they
    are relative to the site's root. Raises ``PolicyError`` listing every problem if the files are
    not valid, ValueError if ``site_url`` is not an absolute http(s) address."""
    from policykit.core.loader import load_policy_dir  # the YAML reader and the validators: only to load

    return Policy(load_policy_dir(path if path is not None else default_policy_dir()), today=today,
                  site_url=site_url)
