"""Search keys of names, and the prefix lookup that searches them through an index.

`name_key` is `fold(full_name)`: "Nguyễn Văn An" -> "nguyen van an". `name_key_given_first` moves
the given name (the last word) to the front -> "an nguyen van", so that a name typed in Western
order ("An Nguyen Van", "an nguyen") is found by the same prefix search.

Django's `startswith` compiles to `LIKE 'x%' ESCAPE '\\'`, which SQLite only serves from an index
when the column is declared NOCASE and PostgreSQL only with a pattern-ops index. The keys are
folded already, so the `prefix` lookup below asks for a plain range instead
(`key >= 'x' AND key < 'x' || U+10FFFF`), which every B-tree index answers on SQLite; on PostgreSQL
the same range in the "C" collation, served by the expression indexes of migration 0003.
"""

from __future__ import annotations

from django.db.models import CharField, Lookup

from treem.lib.text import fold

_TOP = "\U0010ffff"


def name_keys(full_name: str) -> tuple[str, str]:
    key = fold(full_name)
    words = key.split(" ")
    given_first = " ".join([words[-1], *words[:-1]]) if len(words) > 1 else key
    return key, given_first


def escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@CharField.register_lookup
class Prefix(Lookup):
    """`field__prefix="nguyen van"`: rows whose (already folded) value starts with the text."""

    lookup_name = "prefix"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = self.rhs
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, value, value + _TOP]

    def as_postgresql(self, compiler, connection):
        # Byte order ("C" collation) on the expression indexes of migration 0003: the same range
        # as on SQLite, and the same order the lists are sorted in (`name_order`), so a page is
        # one index range read in order.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = self.rhs
        return (
            f'({lhs} COLLATE "C" >= %s AND {lhs} COLLATE "C" < %s)',
            [*lhs_params, value, *lhs_params, value + _TOP],
        )


@CharField.register_lookup
class SelectivePrefix(Prefix):
    """`field__selective_prefix="le van"`: the same rows as `prefix`, plus a hint for SQLite's
    planner, which keeps no histogram of text ranges and guesses that a key range holds a large
    share of the table. On the carer-name index that guess made a commune officer's guardian
    search read the commune's 57,000 children and sort them (0.35 s) instead of walking the
    matching links in order and stopping after a page (1-6 ms). `likelihood()` changes only the
    planner's estimate; PostgreSQL plans from real statistics and needs no hint."""

    lookup_name = "selective_prefix"

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = self.rhs
        return (
            f"(likelihood({lhs} >= %s, 0.01) AND likelihood({lhs} < %s, 0.01))",
            [*lhs_params, value, *lhs_params, value + _TOP],
        )


def byte_order(field: str):
    """A folded key as an ORDER BY term in byte order, the order of its indexes on both
    databases (folded keys are lower-case Latin letters, where byte order is alphabetical)."""
    from django.db import connection
    from django.db.models import F
    from django.db.models.functions import Collate

    if connection.vendor == "postgresql":
        return Collate(field, "C")
    return F(field)


def byte_order_of(expression):
    """`byte_order` for an expression rather than a column."""
    from django.db import connection
    from django.db.models.functions import Collate

    if connection.vendor == "postgresql":
        return Collate(expression, "C")
    return expression


def name_order(field: str = "name_key") -> list:
    """ORDER BY for lists sorted by a folded key, then id."""
    return [byte_order(field), "id"]
