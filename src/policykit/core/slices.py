"""A slice's state table: the terms each state of a few facts' bits makes false or keeps from
being true, filled in lazily as requests show the states (``policykit.core.compiler`` cuts a
program's bits into slices; ``policykit.core.engine`` ORs their entries)."""

from __future__ import annotations

from collections.abc import Callable

TABLE_BYTES = 4 * 1024 * 1024
"""About the most memory one slice table keeps (``SliceTable.limit``)."""

Effect = tuple[int, int, int, int, int]
"""One bit of a slice and the terms it touches: (bit, the terms it falsifies when true, when
false, those it keeps from being true when unknown, those it falsifies when unknown)."""


class SliceTable(dict[int, int]):
    """The term masks of each state of one slice, filled in as states are met.

    An entry packs two masks into one integer: the terms the state makes false (the low
    ``terms`` bits) and the terms it keeps from being true (the bits above), so that
    ``term_states`` combines slices with one OR each. A state's entry is computed the first time
    a request shows it and kept while the table holds fewer than ``limit`` entries (a bound on its
    memory, set from the number of terms); past that, further states are computed each time. A
    policy is compiled without paying for states no request asks about (most of them)."""

    def __init__(self, mask: int, effects: tuple[Effect, ...], shift: int, terms: int) -> None:
        super().__init__()
        self.mask = mask
        self.shift = shift
        self.terms = terms
        self.limit = max(1024, TABLE_BYTES // (terms // 4 + 200))
        self.effects = effects

    def __missing__(self, key: int) -> int:
        true = key & ((1 << self.shift) - 1)
        unknown = key >> self.shift
        false = not_true = 0
        for bit, if_true, if_false, unknown_blocks, unknown_falsifies in self.effects:
            if true & bit:  # a true atom falsifies the terms that need it false
                false |= if_true
            elif unknown & bit:  # an unknown atom keeps every term reading it from being true
                not_true |= unknown_blocks
                false |= unknown_falsifies  # and falsifies the terms that need it known
            else:  # a false atom falsifies the terms that need it true
                false |= if_false
        entry = false | (false | not_true) << self.terms
        if len(self) < self.limit:
            self[key] = entry
        return entry

    def __reduce__(self) -> tuple[Callable[..., SliceTable], tuple[object, ...]]:
        """Pickled as its recipe and the entries met so far."""
        return (_rebuild_table, (self.mask, self.shift, self.terms, self.limit, self.effects, dict(self)))


def _rebuild_table(mask: int, shift: int, terms: int, limit: int, effects: tuple[Effect, ...],
                   entries: dict[int, int]) -> SliceTable:
    table = SliceTable.__new__(SliceTable)
    dict.__init__(table, entries)
    table.mask, table.shift, table.terms, table.limit, table.effects = mask, shift, terms, limit, effects
    return table
