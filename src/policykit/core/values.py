"""Immutable values, declared as frozen dataclasses are, without generating code.

``@dataclass(frozen=True)`` from this module reads the same declaration as the standard one (the
class's annotated fields in order, their defaults, ``field(default_factory=..., compare=False,
repr=False)``, ``order=True``, ``slots=True``) and gives the class methods shared by every value:
``__init__`` (positional or keyword arguments, defaults), ``__repr__``, ``__eq__`` and ``__hash__``
over the compared fields, ordering when asked, and no assignment or deletion once built
(``FrozenInstanceError``). ``replace``, ``fields``, ``asdict`` and ``astuple`` work on these values
as the standard functions do on dataclasses. A value's class holds its fields in ``__dict__``
(pickle then restores it without calling Python code), or in ``__slots__`` with ``slots=True``.

Why not the standard module: it writes and compiles the source of six methods for every class, and
importing it imports ``inspect`` and ``ast``. For the three dozen classes a ``policykit decide``
process loads, that came to about 180 million instructions of start-up, more than the rest of the
decision; here a class costs what creating a class costs (``bench/cli.py`` measures the process).
Only frozen values are offered: everything declared here is immutable."""

from __future__ import annotations

from collections.abc import Callable
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
        "__init__": _init_slots if slots else _init_dict,
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
        "__value_defaults__": {spec.name: spec for spec in declared
                               if spec.default is not _MISSING or spec.default_factory is not _MISSING},
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


def _arguments(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The fields' values from ``__init__``'s arguments, with the defaults filled in."""
    names: tuple[str, ...] = cls.__value_names__  # type: ignore[attr-defined]  # set by dataclass
    if len(args) > len(names):
        raise TypeError(f"{cls.__qualname__}() takes {len(names)} arguments but {len(args)} were given")
    defaults: dict[str, Field] = cls.__value_defaults__  # type: ignore[attr-defined]  # set by dataclass
    values = list(args)
    for name in names[len(args):]:
        if name in kwargs:
            values.append(kwargs.pop(name))
        elif name in defaults:
            spec = defaults[name]
            values.append(spec.default if spec.default_factory is _MISSING else spec.default_factory())
        else:
            raise TypeError(f"{cls.__qualname__}() missing required argument: '{name}'")
    for name in kwargs:
        problem = "multiple values for argument" if name in names else "an unexpected keyword argument"
        raise TypeError(f"{cls.__qualname__}() got {problem} '{name}'")
    return tuple(values)


def _init_dict(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names = cls.__value_names__
    self.__dict__.update(zip(names, args if not kwargs and len(args) == len(names) else
                             _arguments(cls, args, kwargs)))


def _init_slots(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names = cls.__value_names__
    for name, value in zip(names, args if not kwargs and len(args) == len(names) else
                           _arguments(cls, args, kwargs)):
        _set(self, name, value)


def _getstate(self: Any) -> tuple[Any, ...]:
    state: tuple[Any, ...] = self.__value_all__(self)
    return state


def _setstate(self: Any, state: tuple[Any, ...]) -> None:
    for name, value in zip(type(self).__value_names__, state):
        _set(self, name, value)


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
    names = fields(value)
    return type(value)(**{spec.name: getattr(value, spec.name) for spec in names} | changes)


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
