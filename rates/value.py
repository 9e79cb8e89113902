"""``Value``: the base of spendcalc's small value types, in place of frozen dataclasses.

A subclass lists its fields in ``__slots__`` (in order) and sets them in its ``__init__`` with
:meth:`Value._set`. Instances are frozen; equality and hash follow the fields (and the exact
class), and ``repr`` names them, as a frozen dataclass's do. Importing ``dataclasses`` (which
imports ``inspect``) would cost a short command about a sixth of its start-up.

>>> class Point(Value):
...     __slots__ = ("x", "y")
...     def __init__(self, x: int, y: int = 0) -> None:
...         self._set(x=x, y=y)
>>> Point(1, 2), Point(1, 2) == Point(1, 2), len({Point(1), Point(1, 0)})
(Point(x=1, y=2), True, 1)
>>> Point(1).x = 3
Traceback (most recent call last):
...
AttributeError: Point is frozen: cannot set 'x'
"""

from __future__ import annotations

TYPE_CHECKING = False  # (typing is not imported at start-up)
if TYPE_CHECKING:
    from typing import TypeVar

    _V = TypeVar("_V")

__all__ = ["Value", "opened"]


#: Each Value class's fields, worked out once.
_FIELDS: dict[type, tuple[str, ...]] = {}


class Value:
    """Frozen, slotted, hashable; compared field by field."""

    __slots__ = ()

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        """The fields, in order: the ``__slots__`` of each class from the base down."""
        names = _FIELDS.get(cls)
        if names is None:
            found: list[str] = []
            for klass in reversed(cls.__mro__):
                slots = klass.__dict__.get("__slots__", ())
                found.extend((slots,) if isinstance(slots, str) else slots)
            names = _FIELDS[cls] = tuple(found)
        return names

    def _set(self, **fields: object) -> None:
        """Set fields while the value is being made (it is frozen afterwards)."""
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields())

    def _replace(self, **changes: object) -> Value:
        """A copy with some fields changed (no ``__init__`` check runs again)."""
        new = object.__new__(type(self))
        for name in self._fields():
            object.__setattr__(new, name, changes.get(name, getattr(self, name)))
        return new

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, Value):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{type(self).__qualname__}({shown})"

    def __getstate__(self) -> tuple[object, ...]:
        return self._values()

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(self._fields(), state, strict=True):
            object.__setattr__(self, name, value)


def opened(cls: type[_V]) -> type[_V]:
    """An open twin of the value class `cls`, for making many values at once: a subclass with
    no slots of its own, whose instances take their fields by plain assignment (neither
    ``Value.__setattr__`` nor ``object.__setattr__`` runs for each); once they are set, the
    value is given its class (``made.__class__ = cls``) and is frozen from then on.

    >>> class Point(Value):
    ...     __slots__ = ("x", "y")
    >>> made = opened(Point).__new__(opened(Point))
    >>> made.x, made.y = 1, 2
    >>> made.__class__ = Point
    >>> made, type(made) is Point
    (Point(x=1, y=2), True)
    """
    found = _OPENED.get(cls)
    if found is None:
        # Both of object's own: the type then sets an attribute with no call of Python code.
        namespace = {"__slots__": (), "__setattr__": object.__setattr__,
                     "__delattr__": object.__delattr__}  # fmt: skip
        found = _OPENED[cls] = type(f"Opened{cls.__name__}", (cls,), namespace)
    return found


_OPENED: dict[type, type] = {}
