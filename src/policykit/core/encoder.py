"""The request encoder: a valid request in, the engine's bitsets out; None for anything the
request schema refuses (``request.bounded_request_problems`` then says why).

The encoder is Python source generated from the vocabulary (the way ``dataclasses`` writes
``__init__``), its value tables bound as constants, in two forms:

* **by shape.** A request's *shape* is its top-level keys in order. The second request of a shape
  gets a function written for exactly those keys (a one-off shape is not worth writing one): it
  unpacks the values in order and encodes each by its fact's kind, one table lookup and one OR for
  a single-valued fact; which facts are stated, hence which open facts are unknown and whether a
  required one is missing, is known when the function is written. Up to ``SHAPE_LIMIT`` shapes are
  kept; clients send few.
* **generic**, for every other shape: one pass over the fields, where a single-valued fact's
  table gives its bit and its fact's mask together (the stated-facts half of the accumulator,
  above ``shift``), so the masks stated give the unknown bits at the end.

Both refuse a value by failing its lookup (``KeyError``; ``TypeError`` for a value that cannot
even be hashed), so nothing is checked twice. ``tests/test_encoder`` holds both to the request
schema and to a plain reading of the layout."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import CodeType

from policykit.core.compiler import AtomLayout, union_of
from policykit.core.request import Encoded, valid_date
from policykit.core.vocabulary import Fact, Vocabulary

SHAPE_LIMIT = 256
"""The most request shapes (top-level keys in order) one encoder writes a function for."""
DATE_LIMIT = 4096
"""The most dates one encoder remembers as valid (checking one costs more than encoding a request)."""

Encoder = Callable[[object], "Encoded | None"]

_COMPILED: dict[str, CodeType] = {}
"""Encoders compiled before, by their source: what a policy's snapshot brings along
(``remember_compiled``), so that a process reading it back does not compile its generic encoder
again (compiling it is 6 M instructions, a fortieth of a ``policykit decide`` process). The same
source compiles to the same code, so a hit changes nothing but the cost."""


def build_encoder(vocabulary: Vocabulary, layout: AtomLayout, *, shapes: int = SHAPE_LIMIT) -> Encoder:
    """A function encoding a valid request, or returning None for anything the schema rejects;
    ``shapes`` 0 leaves only the generic form."""
    writer = _Writer(vocabulary, layout)
    if not shapes:
        return writer.function("encode", writer.generic())
    by_shape: dict[tuple[str, ...], Encoder] = {}
    seen_once: set[tuple[str, ...]] = set()
    lock = threading.Lock()
    generic: list[Encoder] = []  # written when first needed
    top = len(writer.top)

    def unseen(request: dict[str, object], keys: tuple[str, ...]) -> Encoded | None:
        # A shape without a function of its own: the generic form answers. A valid shape met a
        # second time gets its function while there is room (a one-off shape is not worth writing).
        if len(by_shape) < shapes and len(keys) <= top and writer.valid_shape(keys):
            with lock:
                if keys in seen_once:
                    seen_once.discard(keys)
                    if keys not in by_shape:
                        function = by_shape[keys] = writer.function("encode_shape", writer.for_shape(keys))
                        return function(request)
                else:
                    if len(seen_once) >= 4 * shapes:  # bounded: forget the shapes met once so far
                        seen_once.clear()
                    seen_once.add(keys)
        if not generic:
            with lock:
                if not generic:
                    generic.append(writer.function("encode", writer.generic()))
        return generic[0](request)

    def encode(request: object) -> Encoded | None:
        if type(request) is not dict:
            return None
        keys = tuple(request)
        function = by_shape.get(keys)
        if function is None:
            return unseen(request, keys)
        return function(request)

    def forget() -> None:
        """Forget every shape met so far (the generic form stays written)."""
        with lock:
            by_shape.clear()
            seen_once.clear()

    encode.shapes = by_shape  # type: ignore[attr-defined]  # a function's attribute: the shapes written so far
    encode.forget = forget  # type: ignore[attr-defined]  # a function's attribute, for the tests
    return encode


def generic_encoder(vocabulary: Vocabulary, layout: AtomLayout) -> tuple[str, CodeType]:
    """The source of the generic encoder and its code: what ``remember_compiled`` takes."""
    writer = _Writer(vocabulary, layout)
    return writer.compiled("encode", writer.generic())


def remember_compiled(source: str, code: CodeType) -> None:
    """Use ``code`` for an encoder whose source is ``source`` (from ``generic_encoder``, kept in a
    snapshot) instead of compiling it again."""
    if type(source) is str and type(code) is CodeType:
        _COMPILED[source] = code


def encoder_source(vocabulary: Vocabulary, layout: AtomLayout, keys: tuple[str, ...] | None = None) -> str:
    """The generated source: the generic encoder, or the one for requests with exactly ``keys``
    (a valid shape: known fields, the required ones among them)."""
    writer = _Writer(vocabulary, layout)
    if keys is not None and not writer.valid_shape(keys):
        raise ValueError(f"no valid request has the top-level keys {list(keys)}")
    return "\n".join(writer.generic() if keys is None else writer.for_shape(keys)) + "\n"


class _Writer:
    """Writes encoder functions for one vocabulary and layout; holds the constants they read."""

    def __init__(self, vocabulary: Vocabulary, layout: AtomLayout) -> None:
        self.vocabulary = vocabulary
        self.layout = layout
        self.shift = max(layout.masks.values()).bit_length()
        self.constants: dict[str, object] = {"valid_date": valid_date}
        self._named: dict[tuple[str, ...], str] = {}
        self.top = {fact.path: fact for fact in vocabulary.facts if "." not in fact.path}  # top-level fields

    def function(self, name: str, lines: list[str]) -> Encoder:
        namespace: dict[str, object] = dict(self.constants)
        exec(self.compiled(name, lines)[1], namespace)  # noqa: S102 - our own code
        return namespace[name]  # type: ignore[return-value]  # the function the source just defined

    def compiled(self, name: str, lines: list[str]) -> tuple[str, CodeType]:
        """The source of function ``name`` and its code, compiled unless remembered."""
        source = "\n".join(lines) + "\n"
        code = _COMPILED.get(source)
        if code is None:
            code = compile(source, f"<policykit {name}>", "exec")
        return source, code

    # ------------------------------------------------------------------------------ constants

    def constant(self, key: tuple[str, ...], make: Callable[[], object]) -> str:
        """The name of a constant, made once per ``key``."""
        name = self._named.get(key)
        if name is None:
            name = self._named[key] = f"_k{len(self.constants)}"
            self.constants[name] = make()
        return name

    def plain(self, path: str) -> str:  # value -> bit
        return self.constant(("plain", path), lambda: dict(self.layout.bits[path]))

    def packed(self, prefix: str) -> str:  # field -> value -> bit | the fact's mask << shift
        def make() -> dict[str, dict[object, int]]:
            return {f.path.rpartition(".")[2]: {value: bit | self.stated(f.path)
                                                for value, bit in self.layout.bits[f.path].items()}
                    for f in self.children(prefix) if f.kind == "choice"}
        return self.constant(("packed", prefix), make)

    def kinds(self, prefix: str) -> str:  # field -> its position among the fields that are not single-valued
        return self.constant(("kinds", prefix), lambda: {f.path.rpartition(".")[2]: code
                                                          for code, f in enumerate(self.others(prefix))})

    def valid_dates(self) -> str:
        return self.constant(("dates",), set)

    def stated(self, path: str) -> int:
        return self.layout.masks[path] << self.shift

    def children(self, prefix: str) -> list[Fact]:
        return [fact for fact in self.vocabulary.facts if fact.path.rpartition(".")[0] == prefix]

    def others(self, prefix: str) -> list[Fact]:
        return [fact for fact in self.children(prefix) if fact.kind != "choice"]

    def required(self, prefix: str) -> int:
        return union_of(self.layout.masks[f.path] for f in self.children(prefix) if f.required)

    # ------------------------------------------------------------------------------ the two forms

    def generic(self) -> list[str]:
        lines = ["def encode(request):",
                 "    if type(request) is not dict:",
                 "        return None",
                 "    acc = 0",
                 "    as_of = None",
                 "    try:"]
        self.object_loop(lines, "", "request", "acc", "        ", 0)
        lines += ["    except (KeyError, TypeError):",
                  "        return None",
                  f"    facts = acc >> {self.shift}",
                  f"    true = acc & {(1 << self.shift) - 1:#x}"]
        self.required_check(lines, "facts", self.required(""), "    ")
        lines.append(f"    unknown = {self.layout.initially_unknown:#x} & ~facts")
        return lines + self.finish()

    def valid_shape(self, keys: tuple[object, ...]) -> bool:
        """Whether requests with these top-level keys can be valid: each a field of the schema
        (so no more of them than it has fields) and every required field among them."""
        top = self.top
        if len(keys) > len(top) or not all(type(key) is str and key in top for key in keys):
            return False
        return not self.required("") & ~union_of(self.layout.masks.get(str(key), 0) for key in keys)


    def for_shape(self, keys: tuple[str, ...]) -> list[str]:
        """The encoder of requests whose top-level keys are ``keys``, in order (a valid shape)."""
        facts = [self.top[key] for key in keys]
        stated = union_of(self.layout.masks.get(f.path, 0) for f in facts)
        objects = union_of(self.layout.bits[f.path][True] for f in facts if f.kind == "object")
        values = [f"_s{i}" for i in range(len(keys))]  # apart from the _v and _f of nested objects' loops
        lines = ["def encode_shape(request):"]
        lines += [f"    true = {objects:#x}",
                  "    as_of = None",
                  f"    unknown = {self.layout.initially_unknown & ~stated:#x}",
                  "    try:",
                  f"        {', '.join(values)}{',' if len(values) == 1 else ''} = request.values()"]
        for fact, value in zip(facts, values):
            if fact.kind == "object":
                self.object_in_shape(lines, fact, value, "        ")
            else:
                self.value(lines, fact, value, "true", "        ", packed=False)
        lines += ["    except (KeyError, TypeError):",
                  "        return None"]
        return lines + self.finish()

    def finish(self) -> list[str]:
        lines = ["    reread = 0"]
        for index, (value_bit, as_bit, unless_bit, _) in enumerate(self.layout.read_as):
            lines += [f"    if true & {value_bit:#x} and not true & {unless_bit:#x}:",
                      f"        true = (true & {~value_bit:#x}) | {as_bit:#x}",
                      f"        reread |= {1 << index:#x}"]
        return lines + ["    return true, unknown, as_of, reread"]

    # ------------------------------------------------------------------------------ pieces

    def object_loop(self, lines: list[str], prefix: str, data: str, acc: str, pad: str, level: int) -> None:
        """One pass over an object's fields into the packed accumulator ``acc``."""
        key, value = f"_f{level}", f"_v{level}"
        lines.append(f"{pad}for {key}, {value} in {data}.items():")
        pad += "    "
        if any(f.kind == "choice" for f in self.children(prefix)):
            lines += [f"{pad}_t = {self.packed(prefix)}.get({key})",
                      f"{pad}if _t is not None:",
                      f"{pad}    {acc} |= _t[{value}]",
                      f"{pad}    continue"]
        others = self.others(prefix)
        if not others:
            lines.append(f"{pad}raise KeyError({key})  # a field the schema does not know")
            return
        lines.append(f"{pad}_c = {self.kinds(prefix)}[{key}]  # KeyError: a field the schema does not know")
        for code, fact in enumerate(others):
            lines.append(f"{pad}{'if' if code == 0 else 'elif'} _c == {code}:  # {fact.path}")
            if fact.kind == "object":
                lines.append(f"{pad}    {acc} |= {self.stated(fact.path):#x}")
                self.nested_object(lines, fact, value, pad + "    ", packed=acc)
            else:
                self.value(lines, fact, value, acc, pad + "    ", packed=True)

    def nested_object(self, lines: list[str], fact: Fact, value: str, pad: str, packed: str | None = None) -> None:
        """An object field: its own fields through the generic pass, then its required ones checked.
        Into the packed accumulator ``packed``, or else into ``true`` and ``unknown``."""
        level = fact.path.count(".") + 1
        inner = f"_o{level}"
        lines += [f"{pad}if type({value}) is not dict:",
                  f"{pad}    return None",
                  f"{pad}{inner} = {self.layout.bits[fact.path][True]:#x}"]
        self.object_loop(lines, fact.path, value, inner, pad, level)
        self.required_check(lines, f"{inner} >> {self.shift}", self.required(fact.path), pad)
        if packed is not None:
            lines.append(f"{pad}{packed} |= {inner}")
        else:
            lines += [f"{pad}true |= {inner} & {(1 << self.shift) - 1:#x}",
                      f"{pad}unknown &= ~({inner} >> {self.shift})"]

    def object_in_shape(self, lines: list[str], fact: Fact, value: str, pad: str) -> None:
        """An object field of a request of known shape. When the object's required fields are all
        single-valued and none is open, an object holding exactly as many fields is read by a
        lookup of each (a field it holds instead fails the lookup); any other goes the generic way."""
        required = [f for f in self.children(fact.path) if f.required]
        if not required or any(f.kind != "choice" or f.open for f in required):
            self.nested_object(lines, fact, value, pad)
            return
        lookups = " | ".join(f"{self.plain(f.path)}[{value}[{f.path.rpartition('.')[2]!r}]]" for f in required)
        lines += [f"{pad}if type({value}) is dict and len({value}) == {len(required)}:  # its required fields only",
                  f"{pad}    true |= {lookups}",
                  f"{pad}else:"]
        self.nested_object(lines, fact, value, pad + "    ")

    def required_check(self, lines: list[str], facts: str, required: int, pad: str) -> None:
        if required:
            lines += [f"{pad}if {facts} & {required:#x} != {required:#x}:  # a required field left out",
                      f"{pad}    return None"]

    def value(self, lines: list[str], fact: Fact, value: str, acc: str, pad: str, *, packed: bool) -> None:
        """A field that is not an object, into ``acc`` (packed: with its fact's mask above ``shift``)."""
        bit = self.layout.bits.get(fact.path, {}).get(True, 0)
        mark = self.stated(fact.path) if packed and fact.kind != "date" else 0
        if fact.kind == "date":
            seen = self.valid_dates()
            lines += [f"{pad}if {value} not in {seen}:",
                      f"{pad}    if not valid_date({value}):",
                      f"{pad}        return None",
                      f"{pad}    if len({seen}) < {DATE_LIMIT}:",
                      f"{pad}        {seen}.add({value})",
                      f"{pad}as_of = {value}"]
        elif fact.kind == "boolean":  # True or False only (1 == True, so no table)
            lines += [f"{pad}if {value} is True:",
                      f"{pad}    {acc} |= {bit | mark:#x}",
                      f"{pad}elif {value} is not False:",
                      f"{pad}    return None"]
            if mark:
                lines += [f"{pad}else:",
                          f"{pad}    {acc} |= {mark:#x}"]
        elif fact.kind == "choice":
            lines.append(f"{pad}{acc} |= {self.plain(fact.path)}[{value}]  # KeyError: not an allowed value")
        else:  # a list: each allowed value at most once
            lines += [f"{pad}if type({value}) is not list:",
                      f"{pad}    return None"]
            if mark:
                lines.append(f"{pad}{acc} |= {mark:#x}")
            lines += [f"{pad}for _i in {value}:",
                      f"{pad}    _b = {self.plain(fact.path)}[_i]",
                      f"{pad}    if {acc} & _b:  # listed twice",
                      f"{pad}        return None",
                      f"{pad}    {acc} |= _b"]

