"""How much one search may cost, and what was cut to keep it there.

A public search box gets "*a*" and "summary:[a TO z]": patterns that expand to most of
the vocabulary and would read most of the index. Each search carries a Budget: a
pattern searches at most ``max_expansions`` words (the most frequent), and work stops
at the deadline. Whatever was cut is said in ``cuts``, so the page and the API flag
the answer as partial instead of leaving a worker busy for seconds.
"""

from __future__ import annotations

import time

from whoosh.collectors import Collector, WrappingCollector
from whoosh.searching import TimeLimit

DEFAULT_SECONDS = 2.0
DEFAULT_MAX_EXPANSIONS = 1_000


class Budget:
    def __init__(
        self, seconds: float | None = DEFAULT_SECONDS, max_expansions: int = DEFAULT_MAX_EXPANSIONS
    ):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds if seconds is not None else None
        self.max_expansions = max_expansions
        self.cuts: list[str] = []
        self.timed_out = False

    def exceeded(self) -> bool:
        return self.deadline is not None and time.monotonic() > self.deadline

    def remaining(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def cut(self, reason: str) -> None:
        if reason not in self.cuts:
            self.cuts.append(reason)

    def out_of_time(self) -> None:
        self.timed_out = True
        self.cut(f"the search took longer than {self.seconds:g} s and was stopped")

    @property
    def partial(self) -> str | None:
        """Why the answer is incomplete, in one sentence; None when it is whole."""
        return "; ".join(self.cuts) or None


class DeadlineCollector(WrappingCollector):
    """Stops a Whoosh collector at the budget's deadline (raising Whoosh's TimeLimit; the
    child keeps what it collected). It looks at the clock as it collects: Whoosh's own
    TimeLimitCollector relies on a timer thread, which under gevent cannot run while a
    search holds the CPU."""

    def __init__(self, child: Collector, budget: Budget):
        super().__init__(child)
        self.budget = budget

    def collect_matches(self) -> None:
        child = self.child
        for number, sub_docnum in enumerate(child.matches()):
            if number % 64 == 63 and self.budget.exceeded():
                raise TimeLimit
            child.collect(sub_docnum)
