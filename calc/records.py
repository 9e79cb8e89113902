"""``@record``: a frozen, slotted value class from annotated fields, without dataclasses.

:mod:`dataclasses` imports :mod:`inspect` (and :mod:`ast`, :mod:`tokenize`) and generates code
for every class, about a tenth of a short report's start-up; a :func:`record` is a
:class:`rates.value.Value` (frozen, slotted, hashable, compared by fields) whose ``__init__``
takes the fields in order, with their defaults.
"""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

from rates.value import Value

__all__ = ["record", "replace"]


@dataclass_transform(frozen_default=True, eq_default=True)
def record(cls: _T | None = None, *, kw_only: bool = False) -> Any:
    """Make a class with annotated fields a :class:`Value`, as ``@dataclass(frozen=True,
    slots=True)`` would make it a dataclass, without importing :mod:`dataclasses` (and
    :mod:`inspect`) or generating code: fields in order (a subclass's after its base's),
    defaults as written, ``kw_only`` for keyword-only fields.

    >>> @record
    ... class Pair:
    ...     a: int
    ...     b: int = 2
    >>> Pair(1), Pair(1, b=3) == Pair(1, 3), Pair(a=5).b
    (Pair(a=1, b=2), True, 2)
    """

    def wrap(klass: _T) -> _T:
        own = list(klass.__dict__.get("__annotations__", {}))  # noqa: RUF063 - no inspect
        defaults = {name: klass.__dict__[name] for name in own if name in klass.__dict__}
        namespace = {
            key: value
            for key, value in klass.__dict__.items()
            if key not in own and key not in ("__dict__", "__weakref__")
        }
        namespace["__slots__"] = tuple(own)
        bases = tuple(b for b in klass.__bases__ if b is not object)
        if not issubclass(klass, Value):
            bases = (*bases, Value)
        made: Any = type(klass)(klass.__name__, bases, namespace)
        inherited = dict(getattr(made, "_record_defaults", {}))
        made._record_defaults = {**inherited, **defaults}  # noqa: SLF001 - made here
        made._record_kw_only = kw_only or getattr(made, "_record_kw_only", False)  # noqa: SLF001
        made.__init__ = _record_init
        made.__qualname__ = klass.__qualname__
        return made  # type: ignore[no-any-return]

    return wrap if cls is None else wrap(cls)


def _record_init(self: Value, *args: object, **kwargs: object) -> None:
    cls = type(self)
    names = self._fields()
    setter = object.__setattr__
    # At once, the usual calls: all by position or all by name, the rest from the defaults
    # (anything else, or anything wrong, the long way below, with its messages).
    if not kwargs or not args:
        fast = _fast_values(cls, names, args, kwargs)
        if fast is not None:
            for name, value in zip(names, fast, strict=True):
                setter(self, name, value)
            return
    if args:
        if getattr(cls, "_record_kw_only", False):
            raise TypeError(f"{cls.__name__}() takes keyword arguments only")
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} arguments, not {len(args)}")
        for name in names[: len(args)]:
            if name in kwargs:
                raise TypeError(f"{cls.__name__}() got {name!r} twice")
        kwargs.update(zip(names, args, strict=False))
    defaults: dict[str, object] = cls._record_defaults  # type: ignore[attr-defined]
    for name in names:
        if name in kwargs:
            setter(self, name, kwargs.pop(name))
        elif name in defaults:
            setter(self, name, defaults[name])
        else:
            raise TypeError(f"{cls.__name__}() is missing the argument {name!r}")
    if kwargs:
        raise TypeError(f"{cls.__name__}() got an unexpected argument {next(iter(kwargs))!r}")


def _fast_values(
    cls: type, names: tuple[str, ...], args: tuple[object, ...], kwargs: dict[str, object]
) -> list[object] | None:
    """The fields' values of a call all by position or all by name, the rest defaults; None
    if that is not the call (or it is wrong)."""
    if len(args) == len(names) and not kwargs:
        return None if cls._record_kw_only else list(args)  # type: ignore[attr-defined]
    if len(args) > len(names) or len(kwargs) > len(names):
        return None
    defaults: dict[str, object] = cls._record_defaults  # type: ignore[attr-defined]
    if args:
        if cls._record_kw_only:  # type: ignore[attr-defined]
            return None
        values = list(args)
        for name in names[len(args) :]:
            if name not in defaults:
                return None
            values.append(defaults[name])
        return values
    values = []
    used = 0
    for name in names:
        if name in kwargs:
            values.append(kwargs[name])
            used += 1
        elif name in defaults:
            values.append(defaults[name])
        else:
            return None
    return values if used == len(kwargs) else None


def replace(value: _V, **changes: object) -> _V:
    """A copy of a :func:`record` with some fields changed, as :func:`dataclasses.replace`."""
    if not isinstance(value, Value):
        raise TypeError(f"replace() takes a record, not {type(value).__name__}")
    unknown = set(changes) - set(value._fields())
    if unknown:
        raise TypeError(f"{type(value).__name__} has no field {sorted(unknown)[0]!r}")
    made: Any = value._replace(**changes)
    return made  # type: ignore[no-any-return]


_T = TypeVar("_T", bound=type)
_V = TypeVar("_V")
