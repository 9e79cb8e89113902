"""``python -m calc``: the same as the ``spendcalc`` command."""

from calc.cli import console

console()
