"""``python -m calc``: the same as the ``spendcalc`` command, with an ordinary interpreter exit
(so that atexit hooks, such as a coverage tool's or a benchmark's, still run)."""

from calc.cli import main

raise SystemExit(main())
