"""Package names imported on first use: one helper for ``rates/__init__`` and ``calc/__init__``.

A CLI command imports only the modules it needs; importing either package costs next
to nothing, and each public name is imported from its module the first time it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping


def lazy_exports(
    package: str, where: Mapping[str, str], namespace: dict[str, object]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` for names imported on first use.

    >>> where = {"RateBook": "book"}
    >>> getattr_, dir_ = lazy_exports("rates", where, {})
    >>> getattr_("RateBook").__name__, dir_()
    ('RateBook', ['RateBook'])
    >>> getattr_("Nothing")
    Traceback (most recent call last):
    ...
    AttributeError: module 'rates' has no attribute 'Nothing'

    :param package: the package's ``__name__``
    :param where: each public name -> the module (relative to ``package``) that defines it
    :param namespace: the package's ``globals()``; each name is kept there once imported
    """

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # The import statement's own path (not importlib's), so -X importtime shows the module.
        value: object = getattr(__import__(f"{package}.{module}", fromlist=(name,)), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(where)

    return __getattr__, __dir__
