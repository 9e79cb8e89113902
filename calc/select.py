"""Choosing the commitments a report is about: by company, country and category.

Values match in any case; a country matches by its ISO code or its English name. Several values
of one kind are alternatives; the kinds given must all hold. A value that matches no commitment
is an error that names it and the choices the commitments offer, so a typo never passes for
"nothing there".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from .commitments import Commitment
from .errors import ReportError
from .format import territory_name

__all__ = ["Filters", "select"]

#: The filters a report was made with: ``(kind, values matched)``, e.g. ``(("company", ("Microsoft",)),)``.
Filters = tuple[tuple[str, tuple[str, ...]], ...]


def select(
    commitments: Sequence[Commitment],
    *,
    companies: Iterable[str] = (),
    countries: Iterable[str] = (),
    categories: Iterable[str] = (),
) -> tuple[list[Commitment], Filters]:
    """The commitments that every given kind of filter matches, and the filters as matched.

    >>> from datetime import date
    >>> pledges = [Commitment("Microsoft", "GB", date(2023, 11, 30)),
    ...            Commitment("Google", "JP", date(2024, 1, 18))]
    >>> chosen, filters = select(pledges, companies=["microsoft"])
    >>> [c.company for c in chosen], filters
    (['Microsoft'], (('company', ('Microsoft',)),))
    >>> select(pledges, countries=["UK"])
    Traceback (most recent call last):
    ...
    calc.errors.ReportError: The country filter 'UK' matches no commitment; choose from GB (United Kingdom), JP (Japan).

    :raises ReportError: for a value that matches no commitment, or filters that match none
        together
    """
    kinds: list[tuple[str, list[str], Callable[[Commitment], str], Callable[[str], str]]] = [
        ("company", list(companies), lambda c: c.company, str),
        ("country", list(countries), lambda c: c.country, _country_choice),
        ("category", list(categories), lambda c: c.category, str),
    ]
    chosen = list(commitments)
    filters: list[tuple[str, tuple[str, ...]]] = []
    asked: list[str] = []
    for kind, given, value_of, choice in kinds:
        values = [v.strip() for v in given if v.strip()]
        if not values:
            continue
        present = sorted({value_of(c) for c in commitments})
        matched: set[str] = set()
        for value in values:
            found = {p for p in present if _matches(kind, value, p)}
            if not found:
                choices = ", ".join(choice(p) for p in present)
                raise ReportError(
                    f"The {kind} filter {value!r} matches no commitment; choose from {choices}."
                )
            matched |= found
        chosen = [c for c in chosen if value_of(c) in matched]
        filters.append((kind, tuple(sorted(matched))))
        asked.append(f"{kind} " + " or ".join(map(repr, values)))
    if not chosen:
        raise ReportError(
            f"No commitment matches {' and '.join(asked)} together; drop one of the filters."
        )
    return chosen, tuple(filters)


def _matches(kind: str, value: str, present: str) -> bool:
    wanted = value.casefold()
    if present.casefold() == wanted:
        return True
    return kind == "country" and territory_name(present, "en").casefold() == wanted


def _country_choice(code: str) -> str:
    return f"{code} ({territory_name(code, 'en')})"
