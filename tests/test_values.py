"""Immutable values declared as frozen dataclasses are: the same behaviour as the standard module's
(construction, defaults, equality, hashing, order, repr, pickling, replace), and frozen."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from policykit.core.values import FrozenInstanceError, asdict, astuple, dataclass, field, fields, replace


@dataclass(frozen=True)
class Point:
    """A plain value (fields in ``__dict__``)."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    note: dict = field(default_factory=dict, compare=False, repr=False)

    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


@dataclass(frozen=True, slots=True, order=True)
class Pair:
    """A value in ``__slots__``, ordered."""

    left: object
    right: object = None


@dataclasses.dataclass(frozen=True)
class StandardPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    note: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class StandardPair:
    left: object
    right: object = None


def test_construction_defaults_and_factories_behave_like_a_dataclass() -> None:
    made = [Point(1), Point(1, 2), Point(x=1, y=2, tags=("a",)), Point(3, tags=("b",), note={"n": 1})]
    standard = [StandardPoint(1), StandardPoint(1, 2), StandardPoint(x=1, y=2, tags=("a",)),
                StandardPoint(3, tags=("b",), note={"n": 1})]
    assert [(p.x, p.y, p.tags, p.note) for p in made] == [(p.x, p.y, p.tags, p.note) for p in standard]
    assert Point(1).note is not Point(1).note  # a new default from the factory each time
    assert [repr(p).replace("Point", "StandardPoint", 1) for p in made] == [repr(p) for p in standard]
    assert Point.y == 0 and Point(5).norm() == 5 and Point.__match_args__ == ("x", "y", "tags", "note")


@pytest.mark.parametrize("args, kwargs", [((), {}), ((1, 2, (), {}, 5), {}), ((1,), {"x": 2}), ((1,), {"z": 2})])
def test_wrong_arguments_are_refused_as_a_dataclass_refuses_them(args: tuple, kwargs: dict) -> None:
    with pytest.raises(TypeError) as raised:
        Point(*args, **kwargs)
    with pytest.raises(TypeError) as standard:
        StandardPoint(*args, **kwargs)
    assert str(raised.value) == str(standard.value).replace("StandardPoint", "Point")


def test_the_init_is_written_when_the_class_is_first_constructed() -> None:
    @dataclass(frozen=True, slots=True)
    class Later:
        a: int
        b: list = field(default_factory=list)

    first = Later.__init__
    assert Later(1) == Later(1, []) and Later(a=1, b=[2]).b == [2]
    assert Later.__init__ is not first and Later.__init__.__qualname__.endswith("Later.__init__")
    assert Later(3).b is not Later(3).b


def test_equality_and_hash_read_the_compared_fields_of_the_same_class() -> None:
    assert Point(1, 2, note={"a": 1}) == Point(1, 2, note={"b": 2})  # note is not compared
    assert hash(Point(1, 2)) == hash(StandardPoint(1, 2)) == hash((1, 2, ()))
    assert Point(1, 2) != Point(2, 1) and Point(1) != StandardPoint(1) and Point(1) != (1, 0, ())
    assert hash(Pair(1, "a")) == hash(StandardPair(1, "a"))
    assert len({Point(1), Point(1), Point(2)}) == 2


def test_order_compares_fields_in_order_within_one_class() -> None:
    pairs = [Pair(2, 1), Pair(1, 3), Pair(1, 2)]
    assert sorted(pairs) == [Pair(1, 2), Pair(1, 3), Pair(2, 1)]
    assert (Pair(1, 2) <= Pair(1, 2), Pair(1, 2) > Pair(1, 1), Pair(0, 9) >= Pair(1, 0)) == (True, True, False)
    with pytest.raises(TypeError):
        assert Pair(1, 2) < StandardPair(1, 3)
    with pytest.raises(TypeError):
        assert Point(1) < Point(2)  # type: ignore[operator]  # no order asked for


def test_values_are_frozen() -> None:
    point, pair = Point(1), Pair(1)
    for value in (point, pair):
        with pytest.raises(FrozenInstanceError, match="cannot assign to field 'x'"):
            value.x = 2  # type: ignore[union-attr]
        with pytest.raises(FrozenInstanceError):
            del value.left  # type: ignore[union-attr]
    assert isinstance(FrozenInstanceError(), AttributeError)
    assert not hasattr(pair, "__dict__") and Pair.__slots__ == ("left", "right")
    assert (point.x, pair.left) == (1, 1)


def test_pickle_and_copy_give_equal_values() -> None:
    for value in (Point(1, 2, ("a",), {"n": 1}), Pair(Point(3), (1, 2))):
        for again in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
            assert again == value and type(again) is type(value) and repr(again) == repr(value)
    assert pickle.loads(pickle.dumps(Point(1, note={"n": 1}))).note == {"n": 1}


def test_replace_fields_asdict_and_astuple_behave_like_the_standard_functions() -> None:
    point = Point(1, 2, ("a",))
    assert replace(point, y=5) == Point(1, 5, ("a",)) and replace(point) == point
    with pytest.raises(TypeError):
        replace(point, z=1)
    assert [f.name for f in fields(Point)] == [f.name for f in dataclasses.fields(StandardPoint)]
    assert [f.name for f in fields(point)] == ["x", "y", "tags", "note"]
    with pytest.raises(TypeError):
        fields(object())
    nested = Pair(Point(1), [Point(2, 3)])
    standard = StandardPair(StandardPoint(1), [StandardPoint(2, 3)])
    assert asdict(nested) == dataclasses.asdict(standard)
    assert astuple(nested) == dataclasses.astuple(standard)


def test_a_class_may_write_its_own_methods() -> None:
    @dataclass(frozen=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return f"<{self.name}>"

    assert repr(Named("n")) == "<n>" and Named("n") == Named("n")


def test_only_frozen_values_are_offered() -> None:
    with pytest.raises(TypeError):
        dataclass(frozen=False)  # type: ignore[call-overload]
