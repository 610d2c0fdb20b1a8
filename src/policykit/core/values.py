"""Immutable values, declared as frozen dataclasses are, at the cost of a plain class.

``@dataclass(frozen=True)`` from this module reads the same declaration as the standard one (the
class's annotated fields in order, their defaults, ``field(default_factory=..., compare=False,
repr=False)``, ``order=True``, ``slots=True``) and gives the class methods shared by every value:
``__repr__``, ``__eq__`` and ``__hash__`` over the compared fields, ordering when asked, and no
assignment or deletion once built (``FrozenInstanceError``); its ``__init__`` (positional or
keyword arguments, defaults) is written for its fields when the class is first constructed.
``replace``, ``fields``, ``asdict`` and ``astuple`` work on these values as the standard functions
do on dataclasses. A value's class holds its fields in ``__dict__`` (pickle then restores it
without calling Python code), or in ``__slots__`` with ``slots=True``.

Why not the standard module: it writes and compiles the source of six methods for every class
when the class is declared, and importing it imports ``inspect`` and ``ast``. For the three dozen
classes a ``policykit decide`` process imports, that came to about 180 million instructions of
start-up, more than the rest of the decision; here declaring a class costs what creating a class
costs, and only the few classes a process builds values of get an ``__init__`` written
(``bench/cli.py`` measures the process). Only frozen values are offered: everything declared here
is immutable."""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from operator import attrgetter
from typing import Any, Literal, TypeVar, dataclass_transform, overload

T = TypeVar("T")

_MISSING: Any = object()
_set = object.__setattr__


class FrozenInstanceError(AttributeError):
    """Raised on assigning to, or deleting, an attribute of a value."""


class Field:
    """One field of a value: its name, default (or a function making it), and whether it takes
    part in comparisons (``__eq__``, ``__hash__``, ordering) and in ``__repr__``."""

    __slots__ = ("name", "default", "default_factory", "compare", "repr")

    def __init__(self, default: Any, default_factory: Any, compare: bool, repr: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr

    def __repr__(self) -> str:
        return f"Field(name={self.name!r})"


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] = _MISSING, compare: bool = True,
          repr: bool = True) -> Any:
    """A field declared with more than a default (as ``dataclasses.field``): ``default_factory`` makes
    each instance's default; ``compare=False`` leaves it out of equality, hashing and ordering;
    ``repr=False`` out of ``repr``."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, compare, repr)


@overload
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def dataclass(cls: type[T], /) -> type[T]: ...


@overload
def dataclass(*, frozen: Literal[True] = True, order: bool = False,
              slots: bool = False) -> Callable[[type[T]], type[T]]: ...


def dataclass(cls: type[T] | None = None, /, *, frozen: Literal[True] = True, order: bool = False,
              slots: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """Make ``cls`` an immutable value (see the module's docstring); ``order=True`` adds ``<``,
    ``<=``, ``>``, ``>=`` over the compared fields, ``slots=True`` keeps the fields in ``__slots__``."""
    if frozen is not True:
        raise TypeError("policykit's values are always frozen")

    def wrap(cls: type[T]) -> type[T]:
        return _make_value(cls, order, slots)

    return wrap if cls is None else wrap(cls)


def _make_value(cls: type[T], order: bool, slots: bool) -> type[T]:
    namespace = cls.__dict__
    declared: list[Field] = []
    for name in namespace.get("__annotations__", {}):
        given = namespace.get(name, _MISSING)
        spec = given if isinstance(given, Field) else Field(given, _MISSING, True, True)
        spec.name = name
        declared.append(spec)
    names = tuple(spec.name for spec in declared)
    if slots:
        body = {key: value for key, value in namespace.items()
                if key not in names and key not in ("__dict__", "__weakref__")}
        body["__slots__"] = names
        metaclass: Any = type(cls)
        cls = metaclass(cls.__name__, cls.__bases__, body)
    else:
        for spec in declared:  # a plain default stays a class attribute, as a dataclass's does
            if isinstance(namespace.get(spec.name), Field):
                if spec.default is _MISSING:
                    delattr(cls, spec.name)
                else:
                    setattr(cls, spec.name, spec.default)
    compared = tuple(spec.name for spec in declared if spec.compare)
    methods: dict[str, object] = {
        "__init__": _first_init,
        "__repr__": _repr, "__eq__": _eq, "__hash__": _hash,
        "__setattr__": _frozen_setattr, "__delattr__": _frozen_delattr,
    }
    if slots:
        methods.update(__getstate__=_getstate, __setstate__=_setstate)
    if order:
        methods.update(__lt__=_lt, __le__=_le, __gt__=_gt, __ge__=_ge)
    for key, method in methods.items():
        if key not in namespace:  # a method the class writes itself is kept
            setattr(cls, key, method)
    declaration = {
        "__value_fields__": tuple(declared),  # read by fields()
        "__value_names__": names,
        "__value_shown__": tuple(spec.name for spec in declared if spec.repr),
        "__value_key__": staticmethod(_getter(compared)),  # what __eq__, __hash__ and the order compare
        "__value_all__": staticmethod(_getter(names)),
        "__match_args__": names,
    }
    for key, value in declaration.items():
        setattr(cls, key, value)
    return cls


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """A function reading the named fields of a value as one tuple (``attrgetter`` gives a lone
    field's value bare, so one field is wrapped)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    return lambda value: ()


def _first_init(self: Any, *args: Any, **kwargs: Any) -> None:
    """A value's ``__init__`` until its class is first constructed: it writes the class's own
    ``__init__`` (``_written_init``), puts it in its place and runs it."""
    cls = type(self)
    init = _written_init(cls)
    cls.__init__ = init
    init(self, *args, **kwargs)


def _written_init(cls: type) -> Callable[..., None]:
    """The ``__init__`` of a value's class, written for its fields as the standard module writes
    it (one parameter per field, in order, with its default), but when the class is first
    constructed rather than when it is declared: a process pays only for the classes it builds
    values of (a ``policykit decide`` reading a snapshot builds a handful; unpickling calls no
    ``__init__``), and building a value then costs what it costs with a dataclass."""
    declared: tuple[Field, ...] = cls.__value_fields__  # type: ignore[attr-defined]  # set by dataclass
    names = {"_set": _set, "_MISSING": _MISSING}
    parameters, values = [], []
    for number, spec in enumerate(declared):
        if spec.default_factory is not _MISSING:
            names[f"_factory{number}"] = spec.default_factory
            parameters.append(f"{spec.name}=_MISSING")
            values.append(f"_factory{number}() if {spec.name} is _MISSING else {spec.name}")
        elif spec.default is not _MISSING:
            names[f"_default{number}"] = spec.default
            parameters.append(f"{spec.name}=_default{number}")
            values.append(spec.name)
        else:
            parameters.append(spec.name)
            values.append(spec.name)
    if "__slots__" in cls.__dict__:
        body = [f"_set(self, {spec.name!r}, {value})" for spec, value in zip(declared, values)] or ["pass"]
    else:
        body = ["self.__dict__.update({" + ", ".join(f"{spec.name!r}: {value}" for spec, value in zip(declared, values))
                + "})"]
    source = f"def __init__(self, {', '.join(parameters)}):\n    " + "\n    ".join(body) + "\n"
    exec(compile(source, f"<{cls.__qualname__}.__init__>", "exec"), names)  # noqa: S102 - our own code
    init: Callable[..., None] = names["__init__"]  # the function just defined
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _getstate(self: Any) -> tuple[Any, ...]:
    state: tuple[Any, ...] = self.__value_all__(self)
    return state


def _setstate(self: Any, state: tuple[Any, ...]) -> None:
    any(map(_set, repeat(self), type(self).__value_names__, state))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__value_shown__)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> object:
    if other.__class__ is self.__class__:
        result: bool = self.__value_key__(self) == self.__value_key__(other)
        return result
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__value_key__(self))


def _lt(self: Any, other: Any) -> object:
    if other.__class__ is self.__class__:
        result: bool = self.__value_key__(self) < self.__value_key__(other)
        return result
    return NotImplemented


def _le(self: Any, other: Any) -> object:
    if other.__class__ is self.__class__:
        result: bool = self.__value_key__(self) <= self.__value_key__(other)
        return result
    return NotImplemented


def _gt(self: Any, other: Any) -> object:
    if other.__class__ is self.__class__:
        result: bool = self.__value_key__(self) > self.__value_key__(other)
        return result
    return NotImplemented


def _ge(self: Any, other: Any) -> object:
    if other.__class__ is self.__class__:
        result: bool = self.__value_key__(self) >= self.__value_key__(other)
        return result
    return NotImplemented


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def fields(value: object) -> tuple[Field, ...]:
    """The fields of a value or of a value's class, in declaration order."""
    found: tuple[Field, ...] | None = getattr(value, "__value_fields__", None)
    if found is None:
        raise TypeError("fields() takes a value or a value's class")
    return found


def replace(value: T, /, **changes: Any) -> T:
    """A copy of ``value`` with the fields named in ``changes`` set to their new values."""
    given = [changes.pop(spec.name) if spec.name in changes else getattr(value, spec.name) for spec in fields(value)]
    if changes:
        raise TypeError(f"{type(value).__qualname__}() got an unexpected keyword argument '{next(iter(changes))}'")
    return type(value)(*given)


def asdict(value: object) -> dict[str, Any]:
    """The value's fields as a dict, values inside it (and inside lists, tuples and dicts) as dicts too."""
    return {spec.name: _unwrap(getattr(value, spec.name), dict) for spec in fields(value)}


def astuple(value: object) -> tuple[Any, ...]:
    """The value's fields as a tuple, values inside it (and inside lists, tuples and dicts) as tuples too."""
    return tuple(_unwrap(getattr(value, spec.name), tuple) for spec in fields(value))


def _unwrap(item: object, form: type[dict[str, Any]] | type[tuple[Any, ...]]) -> Any:
    if hasattr(type(item), "__value_fields__"):
        inner = [(spec.name, _unwrap(getattr(item, spec.name), form)) for spec in fields(item)]
        return dict(inner) if form is dict else tuple(value for _, value in inner)
    if isinstance(item, (list, tuple)):
        return type(item)(_unwrap(element, form) for element in item)
    if isinstance(item, dict):
        return {_unwrap(key, form): _unwrap(element, form) for key, element in item.items()}
    return item
