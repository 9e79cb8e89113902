"""The batch path's arithmetic: ``amount x numerator / denominator`` in integers, exactly.

A converted amount is ``a * n / d`` for integers (the amount's digits over its power of ten, the
cross rate's exact fraction of the ECB's published values). :func:`round_quotients` rounds it
to an integer (minor units) by the rule in force, with Python ints; :func:`round_quotients_array`
gives the same integers with numpy: the quotient estimated in float64 (off by at most one while
its size is below 2**49), the remainder computed in wrapping int64 (it is small, so the
wrap-around cancels), one correction, and the rule applied on ``2r`` against ``d``. Rows outside
that range are done with Python ints. :func:`exact_text` writes the unrounded quotient as
:func:`calc.decimals.quotient` keeps it (exact when it terminates, else enough digits that
rounding it once is rounding the exact quotient).

numpy is optional (``spendcalc[fast]``); set :data:`USE_NUMPY` to False to use Python ints only
(the results are the same).

>>> round_quotients([125, -125, 135], [1, 1, 1], [10, 10, 10], "half-even")
[12, -12, 14]
>>> round_quotients([125, -125], [1, 1], [10, 10], "half-up")
[13, -13]
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import compress, repeat
from math import gcd
from operator import add, itemgetter, lt, mul, not_
from typing import Any

from .decimals import EXACT, Rounding, plain, quotient

__all__ = [
    "USE_NUMPY",
    "amount_ratios",
    "exact",
    "exact_text",
    "exact_texts",
    "minor_texts",
    "numpy",
    "plain_digits",
    "reduced",
    "round_quotients",
    "round_quotients_array",
    "rounded",
    "rounded_at",
]

#: Whether to use numpy when it is installed (tests turn it off to compare the two paths).
USE_NUMPY = True
#: Below this size (in minor units) the float64 estimate of a quotient is off by less than one.
SAFE_QUOTIENT = 2.0**49
#: Numerators and denominators below this keep ``2 * remainder`` inside int64.
SAFE_OPERAND = 2.0**61


def numpy() -> Any:
    """The numpy module, or None when it is not installed or :data:`USE_NUMPY` is off."""
    if not USE_NUMPY:
        return None
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - the fast extra is not installed
        return None
    return np


def round_quotients(
    amounts: Sequence[int], numerators: Sequence[int], denominators: Sequence[int], rule: Rounding
) -> list[int]:
    """``amounts[i] * numerators[i] / denominators[i]`` rounded to an integer by ``rule``
    (half-up: a tie away from zero; half-even: a tie to the even integer), with Python ints.

    Every denominator must be positive.
    """
    # |q| = (2|a|n + d) // 2d rounds |a|n/d half up; an exact tie leaves no remainder
    doubled = list(map(mul, denominators, repeat(2)))
    split = list(
        map(
            divmod,
            map(add, map(mul, map(abs, amounts), map(mul, numerators, repeat(2))), denominators),
            doubled,
        )
    )
    out = list(map(itemgetter(0), split))
    if rule == "half-even":  # a tie rounded up to an odd number goes back down to the even one
        for i in compress(range(len(out)), map(not_, map(itemgetter(1), split))):
            out[i] -= out[i] & 1
    for i in compress(range(len(out)), map(lt, amounts, repeat(0))):
        out[i] = -out[i]
    return out


def round_quotients_array(a: Any, n: Any, d: Any, rule: Rounding) -> Any:
    """:func:`round_quotients` for numpy int64 arrays: an int64 array (an object array of
    Python ints if a result does not fit int64)."""
    np = numpy()
    assert np is not None
    estimate = a.astype(np.float64) * (n.astype(np.float64) / d.astype(np.float64))
    all_safe = (
        len(a) == 0
        or (
            float(np.abs(estimate).max()) < SAFE_QUOTIENT
            and float(n.max()) < SAFE_OPERAND
            and float(d.max()) < SAFE_OPERAND
        )
    )  # fmt: skip
    given = d
    if not all_safe:
        safe = (np.abs(estimate) < SAFE_QUOTIENT) & (n < SAFE_OPERAND) & (d < SAFE_OPERAND)
        estimate = np.where(safe, estimate, 0.0)
        d = np.where(safe, d, 1)
    t = np.floor(estimate).astype(np.int64)
    with np.errstate(over="ignore"):
        r = a * n - t * d  # wraps around int64; the true remainder is in (-d, 2d)
        step = (r >= d).astype(np.int64) - (r < 0)  # the estimate was one off: correct it
        t += step
        r -= step * d
        # 2r > d rounds up; a tie (2r == d) rounds up for a positive quotient (half-up) or
        # an odd t (half-even): so compare 2r + 1 against d for those
        tie_up = (a >= 0) if rule == "half-up" else (t & 1).astype(bool)
        result = t + ((r + r + tie_up) > d)
    if all_safe:
        return result
    rows = np.flatnonzero(~safe)
    exact = round_quotients(a[rows].tolist(), n[rows].tolist(), given[rows].tolist(), rule)
    if all(-(2**63) <= v < 2**63 for v in exact):
        result[rows] = exact
        return result
    result = result.astype(object)
    result[rows] = exact
    return result


#: Rows a pass of :func:`rounded_at` takes at a time: its scratch arrays stay in the cache.
CHUNK = 1 << 14


def rounded_at(
    digits: Any,
    power: int,
    tables: tuple[Any, ...],
    exact_rows: dict[int, tuple[int, int]],
    places: int,
    rule: Rounding,
) -> Any:
    """:func:`rounded` for rows whose fractions sit in lookup tables
    (:meth:`rates.ratios.Rows.ratio_tables`; the numerators gathered by the tuple's eighth
    item when it has one, else by position): each pass gathers a block of rows' numerators,
    denominators and float quotients (divided here when the tables hold none) and rounds them, so no per-row column of fractions is
    ever made. ``exact_rows`` are the rows the tables do not answer (row -> fraction).

    An int64 array (an object array if a result does not fit int64), or None when numpy is
    not in use or a bound of the fast form does not hold (an amount beyond int64, a table's
    numerator or denominator of 2**61 or more): then use :func:`rounded`. A row whose
    quotient is near the float estimate's limit is done with Python ints.
    """
    np = numpy()
    if np is None:
        return None
    positions, nums, dens, ratios, max_num, max_den, max_ratio, *by = tables
    num_at = by[0] if by else positions  # numerators by their own index (a fixing's), or alike
    try:
        a = np.asarray(digits, dtype=np.int64)
    except (OverflowError, TypeError, ValueError):
        return None
    scale = _POWERS[places]
    g = gcd(scale, power)
    up_n, up_d = scale // g, power // g  # the row's fraction is (n * up_n) / (d * up_d)
    if max_num * up_n >= SAFE_OPERAND or max_den * up_d >= SAFE_OPERAND:
        return None
    count = len(a)
    out = np.empty(count, dtype=np.int64)
    if count == 0:
        return out
    low, high = int(a.min()), int(a.max())
    # Every row below the limit (the usual case), or each block checks its rows' estimates.
    limit = SAFE_QUOTIENT / 2
    all_safe = max(high, -low) * max_ratio * (up_n / up_d) < limit
    careful: list[int] = []  # rows past the limit, done with Python ints at the end
    if (up_n, up_d) != (1, 1):
        nums, dens = nums * up_n, dens * up_d
        ratios = None if ratios is None else ratios * (up_n / up_d)
    size = min(CHUNK, count)
    n, d, w = (np.empty(size, dtype=np.int64) for _ in range(3))
    f = np.empty(size, dtype=np.float64)
    up, down = np.empty(size, dtype=bool), np.empty(size, dtype=bool)
    plain_up = rule == "half-up" and low >= 0
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        for start in range(0, count, size):
            stop = min(start + size, count)
            m = stop - start
            at, x, t = positions[start:stop], a[start:stop], out[start:stop]
            num_index = num_at[start:stop]
            nb, db, wb, fb, ub, lb = n[:m], d[:m], w[:m], f[:m], up[:m], down[:m]
            nums.take(num_index, out=nb, mode="clip")
            dens.take(at, out=db, mode="clip")
            if ratios is not None:
                ratios.take(at, out=fb, mode="clip")
            else:  # no table of quotients: divide the rows' own (0 / 0 for the book's rows)
                np.divide(nb, db, out=fb)
            np.multiply(x, fb, out=fb)  # the quotient, off by less than a quarter
            if not all_safe:
                past = np.abs(fb) >= limit
                if past.any():
                    careful += (np.flatnonzero(past) + start).tolist()
                    fb[past] = 0.0
            np.rint(fb, out=fb)
            np.copyto(t, fb, casting="unsafe")  # t: within one of the rounded quotient
            np.multiply(x, nb, out=nb)  # these wrap around int64; the remainder is small,
            np.multiply(t, db, out=wb)  # so the wrap cancels in it
            np.subtract(nb, wb, out=nb)
            np.add(nb, nb, out=nb)  # 2r, with r = a*n - t*d in (-d, d)
            # Round up when 2r > d, down when 2r < -d; a tie (2r = +-d) goes by the rule:
            # half-up away from zero, half-even to the even of t and its neighbour.
            if plain_up:  # amounts >= 0: a tie above rounds up, a tie below stays
                np.greater_equal(nb, db, out=ub)
                np.add(nb, db, out=nb)
                np.less(nb, 0, out=lb)
            else:
                bias = (x >= 0).astype(np.int64) if rule == "half-up" else (t & 1)
                np.add(nb, bias, out=wb)
                np.greater(wb, db, out=ub)  # 2r + bias > d
                if rule == "half-up":  # a tie below rounds away from zero when a < 0
                    np.add(wb, db, out=wb)
                    np.less_equal(wb, 0, out=lb)  # 2r + bias + d <= 0
                else:
                    np.subtract(nb, bias, out=wb)
                    np.add(wb, db, out=wb)
                    np.less(wb, 0, out=lb)  # 2r - bias + d < 0
            np.add(t, ub, out=t, casting="unsafe")
            np.subtract(t, lb, out=t, casting="unsafe")
    fractions = {r: (int(nums[num_at[r]]), int(dens[positions[r]])) for r in careful}
    fractions.update((r, (n * scale, d * power)) for r, (n, d) in exact_rows.items())
    if fractions:
        rows = list(fractions)
        fixed = round_quotients(
            a[rows].tolist(), [fractions[r][0] for r in rows], [fractions[r][1] for r in rows], rule
        )
        if _wide(fixed):
            out = out.astype(object)
        out[rows] = fixed
    return out


def exact_texts(
    amounts: Sequence[int],
    scales: Sequence[int],
    numerators: Sequence[int],
    denominators: Sequence[int],
) -> list[str]:
    """The unrounded ``amounts[i] / 10**scales[i] * numerators[i] / denominators[i]`` as
    plain text, each as :func:`calc.decimals.quotient` keeps it (and :func:`calc.decimals.plain`
    writes it): exact when it terminates, else 28 significant digits (more for a quotient of
    10**10 or more), the last never 0 or 5."""
    return list(map(exact_text, amounts, scales, numerators, denominators))


_TEN = [10**k for k in range(64)]
_LIMIT_28 = 10**28
_LIMIT_27 = 10**27
_FACTORS: dict[int, tuple[int, int, int]] = {}


def _factors(d: int) -> tuple[int, int, int]:
    """``d`` as 2**x * 5**y * w: (x, y, w)."""
    found = _FACTORS.get(d)
    if found is None:
        x = (d & -d).bit_length() - 1
        w, y = d >> x, 0
        while w % 5 == 0:
            w, y = w // 5, y + 1
        if len(_FACTORS) > 4096:
            _FACTORS.clear()
        found = _FACTORS[d] = (x, y, w)
    return found


def exact_text(a: int, s: int, n: int, d: int) -> str:
    """One row of :func:`exact_texts`; ``d`` > 0."""
    if a == 0:
        return "0"
    g = gcd(n, d)
    if g != 1:
        n, d = n // g, d // g
    x, y, w = _factors(d)
    if a % w == 0:  # the quotient terminates: write it exactly
        m = max(x, y)
        digits = (a // w) * n * (1 << (m - x)) * 5 ** (m - y)
        return plain(Decimal(digits).scaleb(-(m + s), EXACT))
    num, den = abs(a) * n, d * (_TEN[s] if s < 64 else 10**s)
    if num >= den * 10**10:  # 28 digits or more, as quotient() decides: let it decide
        value = quotient(Decimal(a * n).scaleb(-s, EXACT), Decimal(d))
        return plain(value)
    # 28 significant digits: num * 10**k // den with 10**27 <= q < 10**28
    k = 27 - ((num.bit_length() - den.bit_length()) * 30103 // 100_000)
    while True:
        q = num * (_TEN[k] if k < 64 else 10**k) // den if k >= 0 else num // (den * 10**-k)
        if q >= _LIMIT_28:
            k -= 1
        elif q < _LIMIT_27:
            k += 1
        else:
            break
    if q % 5 == 0:  # never ends in 0 or 5: it does not terminate (ROUND_05UP)
        q += 1
    text = str(q)
    body: str
    if k <= 0:
        body = text + "0" * -k
    elif k >= 28:
        body = "0." + "0" * (k - 28) + text
    else:
        body = text[: 28 - k] + "." + text[28 - k :]
    return "-" + body if a < 0 else body


def reduced(numerator: int, denominator: int) -> tuple[int, int]:
    """``numerator / denominator`` in lowest terms."""
    g = gcd(numerator, denominator)
    return numerator // g, denominator // g


# -- the batch path's rows --------------------------------------------------------------------

_POWERS = [10**k for k in range(1001)]
_PLAIN = b"0123456789.-\n"


def plain_digits(texts: Sequence[str], max_places: int) -> tuple[list[int], list[int]] | None:
    """Plain decimal texts (``-1234.56``, ``7``, ``.5``) as digits and powers of ten
    (value = digits / power); None unless every text is one (with at most ``max_places``
    decimals), so the caller reads them one by one and names the bad one."""
    block = "\n".join(texts)
    if not block.isascii() or block.encode("ascii").translate(None, _PLAIN):
        return None
    places_at = list(map(str.find, texts, repeat(".")))
    if block.count(".") != len(places_at) - places_at.count(-1):
        return None  # two points in one text
    if block.count("-") != ("\n" + block).count("\n-"):
        return None  # a minus sign not in front
    try:
        digits = list(map(int, map(str.replace, texts, repeat("."), repeat(""))))
    except ValueError:  # '', '-', '.', or too many digits for int()
        return None
    places = [
        n - at - 1 if at >= 0 else 0 for n, at in zip(map(len, texts), places_at, strict=True)
    ]
    if places and max(places) > max_places:
        return None
    return digits, list(map(_POWERS.__getitem__, places))


def amount_ratios(amounts: Sequence[Any]) -> tuple[list[int], list[int]]:
    """Each Decimal or int amount as (digits, power of ten), exactly.

    :raises TypeError: for a float (it has already lost digits) or another type
    :raises ValueError: for an amount that is not finite
    """
    kinds = set(map(type, amounts))
    if float in kinds:
        raise TypeError(
            "A float amount has already lost digits; give Decimal or int amounts (Decimal('2.5'))."
        )
    # (Decimals alone, the usual column: their own method, at once.)
    ratio = Decimal.as_integer_ratio if kinds == {Decimal} else _ratio
    try:
        pairs = list(map(ratio, amounts))
    except (ValueError, OverflowError, AttributeError) as exc:
        bad = next(a for a in amounts if not _finite(a))
        raise ValueError(f"The amount {bad!r} is not a finite number.") from exc
    return list(map(_FIRST, pairs)), list(map(_SECOND, pairs))


_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def over_one_power(digits: list[int], powers: list[int]) -> tuple[list[int], int] | None:
    """The amounts ``digits[i] / powers[i]`` (as :func:`amount_ratios` gives them, each
    denominator of the form 2**a * 5**b) as integers over one power of ten, exactly: the
    amounts in units of ``10**-k`` and ``10**k``, k the fewest places that hold them all; None
    when that is more than 18 places (the amounts would not fit the fast forms anyway)."""
    places: dict[int, int] = {}  # each denominator's multiplier to 10**k, once k is known
    most = 0
    for power in set(powers):
        twos, fives, rest = _factors(power)
        if rest != 1:
            return None
        places[power] = max(twos, fives)
        most = max(most, places[power])
    if most > 18:
        return None
    common = _POWERS[most]
    if len(places) == 1:
        (power,) = places
        if power == common:
            return digits, common
    up = {power: common // power for power in places}
    return [d * up[p] for d, p in zip(digits, powers, strict=True)], common


def _ratio(amount: Any) -> tuple[int, int]:
    return amount.as_integer_ratio()  # type: ignore[no-any-return]


def _finite(amount: Any) -> bool:
    try:
        amount.as_integer_ratio()
    except (ValueError, OverflowError, AttributeError):
        return False
    return True


def rounded(
    digits: Any,
    powers: Any,
    numerators: Any,
    denominators: Any,
    places: int,
    rule: Rounding,
    *,
    fast: bool = True,
) -> Any:
    """``digits / powers * numerators / denominators`` in units of ``10**-places``, rounded by
    ``rule``: a list of ints, or an int64 array when ``digits`` is a numpy array (numpy does
    the work when it is installed and ``fast``; Python ints otherwise, and for what int64
    cannot hold)."""
    scale = _POWERS[places]
    np = numpy() if fast or hasattr(digits, "dtype") else None
    given_array = hasattr(digits, "dtype")
    if np is not None:
        try:
            a = np.asarray(digits, dtype=np.int64)
            n = np.asarray(numerators, dtype=np.int64)
            d = np.asarray(denominators, dtype=np.int64)
            q = np.asarray(powers, dtype=np.int64)
        except (OverflowError, TypeError, ValueError):
            pass
        else:
            limit = 2.0**62
            if len(a) == 0 or (
                float(n.max()) * scale < limit
                and float(d.max()) * float(q.max()) < limit
                and bool((d > 0).all())
            ):
                result = round_quotients_array(a, n * scale, d * q, rule)
                return result if given_array else result.tolist()
    if given_array:
        digits = digits.tolist()
    listed = [v.tolist() if hasattr(v, "tolist") else v for v in (powers, numerators, denominators)]
    powers, numerators, denominators = listed
    if isinstance(powers, int):
        powers = repeat(powers, len(digits))
    result = round_quotients(
        digits,
        list(map(int.__mul__, numerators, repeat(scale))),
        list(map(int.__mul__, denominators, powers)),
        rule,
    )
    if given_array:
        import numpy as np_

        return np_.array(result, dtype=object if _wide(result) else np_.int64)
    return result


def _wide(values: list[int]) -> bool:
    return bool(values) and not -(2**63) <= min(values) <= max(values) < 2**63


def exact(digits: Any, powers: Any, numerators: Any, denominators: Any) -> list[str]:
    """``digits / powers * numerators / denominators`` unrounded, as :func:`exact_texts`."""
    listed = [
        v.tolist() if hasattr(v, "tolist") else v
        for v in (digits, powers, numerators, denominators)
    ]
    digits, powers, numerators, denominators = listed
    if isinstance(powers, int):
        powers = repeat(powers, len(digits))
    return list(
        map(exact_text, digits, repeat(0), numerators, map(int.__mul__, denominators, powers))
    )


def minor_texts(values: Sequence[int], places: int) -> list[str]:
    """Integers in units of ``10**-places`` as plain decimal text (``-12345, 2`` -> ``-123.45``)."""
    texts = list(map(str, values))
    if places == 0:
        return texts
    scale = _POWERS[places]
    out = [t[:-places] + "." + t[-places:] for t in texts]
    for i in compress(range(len(out)), map(range(1 - scale, scale).__contains__, values)):
        value = values[i]
        out[i] = f"{'-' if value < 0 else ''}0.{abs(value):0{places}d}"
    return out
