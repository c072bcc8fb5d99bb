"""Blocking: which pairs are worth scoring at all.

Each blocking key is a hash of a few encoded fields; two records are compared only when they
share at least one key. The keys are chosen so that each kind of error a duplicate may carry
(typo in the given name, another year, another commune, a partial date, swapped name order)
leaves at least one key intact. Blocks larger than ``MAX_BLOCK`` are skipped: a key value that
common cannot tell records apart, and one such block would cost more than all the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from treem.lib.dedup.encode import Table
from treem.lib.dedup.scoring import Stats

MAX_BLOCK = 1000
# The broadest key (name by sound + commune, whatever the date) stops at smaller blocks: at a
# million children one block of a common name in a large commune holds hundreds of records, and
# this key alone gave half of all candidate pairs. Duplicates in such a block still share their
# date, parents or household with each other (the other keys); FEBRL's and our test sets' blocks
# of this key are far below the cap, so their recall is unchanged.
BROAD_MAX_BLOCK = 100
_C1 = np.uint64(0x9E3779B97F4A7C15)
_C2 = np.uint64(0xBF58476D1CE4E5B9)
_S31 = np.uint64(31)


@dataclass(slots=True)
class BlockKey:
    """One blocking key over a table: a hash per record (0 = record has no such key)."""

    name: str
    keys: np.ndarray  # uint64
    # For "asymmetric" keys: only pairs where at least one side is flagged are wanted (e.g.
    # the side with a partial birth date), so the huge unflagged-unflagged part is never built.
    flag: np.ndarray | None = None
    # Blocks of more records than this produce no pairs (see MAX_BLOCK).
    max_block: int = 0

    def __post_init__(self) -> None:
        self.max_block = self.max_block or MAX_BLOCK


def _mix(*cols: np.ndarray) -> np.ndarray:
    """Hash columns of small integers into one uint64 per row (splitmix-style)."""
    h = np.full(cols[0].shape, _C1, dtype=np.uint64)
    for c in cols:
        h ^= c.astype(np.int64).astype(np.uint64) + _C1
        h *= _C2
        h ^= h >> _S31
    h[h == 0] = 1
    return h


def _valid(h: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(ok, h, np.uint64(0))


def block_keys(t: Table, stats: Stats) -> list[BlockKey]:
    """All blocking keys of the records of *t* (same order as :func:`candidate_keys`)."""
    extra = t.extra
    ps = stats.phon_of(t.sur, extra)
    pg = stats.phon_of(t.giv, extra)
    y, m, d = t.y.astype(np.int32), t.m.astype(np.int32), t.d.astype(np.int32)
    lo, hi = np.minimum(m, d), np.maximum(m, d)
    full = (y > 0) & (m > 0) & (d > 0)
    name = (t.sur >= 0) & (t.giv >= 0)
    partial = (y > 0) & ~full
    initial = stats.initial_of(t.giv, extra)
    with np.errstate(over="ignore"):
        return [
            BlockKey("id_number", _valid(_mix(t.idn, np.full_like(t.idn, 7)), t.idn >= 0)),
            # Exact or day/month-swapped date; name in any word order.
            BlockKey("name_words+date", _valid(_mix(t.bag, y, lo, hi), full & (t.bag != 0))),
            # Year typed off by one, names by sound (tr/ch, d/gi/r, ...). Years are bucketed
            # in twos, twice with an offset, so any two years at most one apart share a
            # bucket in one of the keys while blocks stay an eighth of "any year".
            BlockKey(
                "name_sound+day_month+even_years",
                _valid(_mix(ps, pg, lo, hi, y // 2), full & name),
            ),
            BlockKey(
                "name_sound+day_month+odd_years",
                _valid(_mix(ps, pg, lo, hi, (y + 1) // 2), full & name),
            ),
            # Given name mistyped beyond the phonetic key.
            # A record without a middle name blocks with "no middle name".
            BlockKey(
                "surname+middle+date", _valid(_mix(t.sur, t.mid, y, lo, hi), full & (t.sur >= 0))
            ),
            # Middle name dropped or added ("Đào Nam" / "Đào Văn Nam").
            BlockKey("surname+given+date", _valid(_mix(t.sur, t.giv, y, lo, hi), full & name)),
            # Surname mistyped.
            BlockKey("given+date", _valid(_mix(t.giv, y, lo, hi), full & (t.giv >= 0))),
            # Every name field damaged, but the child was born that day in that commune.
            BlockKey(
                "date+commune",
                _valid(_mix(y, lo, hi, t.commune, np.full_like(y, 3)), full & (t.commune >= 0)),
            ),
            # Name and date both off, but the family is recognisable. The child's given-name
            # initial keeps namesake mothers (fathers) of one commune apart.
            BlockKey(
                "mother+commune+initial",
                _valid(
                    _mix(t.mo_full, t.commune, initial),
                    (t.mo_full >= 0) & (t.commune >= 0) & (t.giv >= 0),
                ),
            ),
            BlockKey(
                "father+commune+initial",
                _valid(
                    _mix(t.fa_full, t.commune, initial),
                    (t.fa_full >= 0) & (t.commune >= 0) & (t.giv >= 0),
                ),
            ),
            # The household: same address in the same commune.
            BlockKey(
                "commune+address",
                _valid(_mix(t.addr, t.commune), (t.addr >= 0) & (t.commune >= 0)),
            ),
            # Both parents named: the family, wherever it lives now.
            BlockKey(
                "mother+father",
                _valid(_mix(t.mo_full, t.fa_full), (t.mo_full >= 0) & (t.fa_full >= 0)),
            ),
            # Partial birth date ("2015", "2015-06"): against every record of that name & year.
            BlockKey("name_sound+year", _valid(_mix(ps, pg, y), name & (y > 0)), flag=partial),
            # The same name by sound in the same commune, whatever the birth date says (a date
            # mistyped beyond a swap or a year, or no date at all).
            BlockKey(
                "name_sound+commune",
                _valid(_mix(ps, pg, t.commune), name & (t.commune >= 0)),
                max_block=BROAD_MAX_BLOCK,
            ),
        ]


@dataclass(slots=True)
class PairStats:
    """How many pairs each key contributed (after removing pairs an earlier key gave)."""

    per_key: dict[str, int]
    skipped_blocks: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_key.values())


def _groups(
    keys: np.ndarray, flag: np.ndarray | None, part: tuple[int, int], max_block: int = MAX_BLOCK
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Sort records by key; return (records in order, remaining-in-group per position,
    mask of positions that start pairs, number of oversized blocks)."""
    which, parts = part
    if parts > 1:
        # Blocks are dealt to workers by key hash, so each builds and scores its own share.
        rec = np.flatnonzero((keys != 0) & (keys % np.uint64(parts) == np.uint64(which)))
    else:
        rec = np.flatnonzero(keys)
    k = keys[rec]
    # With a flag, flagged records come first within each block, so every wanted pair starts
    # at a flagged one.
    order = np.argsort(k, kind="stable") if flag is None else np.lexsort((~flag[rec], k))
    rec, k = rec[order], k[order]
    n = k.shape[0]
    if n == 0:
        return rec, np.zeros(0, np.int64), np.zeros(0, bool), 0
    start = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    size = np.diff(np.r_[start, n])
    end = np.repeat(start + size, size)
    rem = end - np.arange(n)
    big = size > max_block
    ok = np.repeat((size >= 2) & ~big, size)
    if flag is not None:
        ok &= flag[rec]
    return rec, rem, ok, int(big.sum())


def effective_keys(bk: BlockKey) -> np.ndarray:
    """Keys with records of oversized blocks zeroed: those blocks produce no pairs."""
    keys = bk.keys
    nz = keys[keys != 0]
    if nz.shape[0] == 0:
        return keys
    uniq, counts = np.unique(nz, return_counts=True)
    big = uniq[counts > bk.max_block]
    if big.shape[0] == 0:
        return keys
    out = keys.copy()
    out[np.isin(keys, big)] = 0
    return out


def _already(
    a: np.ndarray, b: np.ndarray, earlier: list[tuple[np.ndarray, np.ndarray | None]]
) -> np.ndarray:
    """Pairs an earlier key has already produced (so each pair is scored once)."""
    seen = np.zeros(a.shape, bool)
    for keys, flag in earlier:
        ka = keys[a]
        hit = (ka != 0) & (ka == keys[b])
        if flag is not None:
            hit &= flag[a] | flag[b]
        seen |= hit
    return seen


def iter_pairs(
    keys: list[BlockKey],
    chunk: int = 1_000_000,
    stats_out: PairStats | None = None,
    part: tuple[int, int] = (0, 1),
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield candidate pairs (arrays of record positions) in chunks of about *chunk*, each
    pair once across all keys. With ``part=(i, n)`` only the i-th of n shares of the blocks."""
    earlier: list[tuple[np.ndarray, np.ndarray | None]] = []
    buf_a: list[np.ndarray] = []
    buf_b: list[np.ndarray] = []
    buffered = 0
    for bk in keys:
        rec, rem, ok, n_big = _groups(bk.keys, bk.flag, part, bk.max_block)
        produced = 0
        active = np.flatnonzero(ok & (rem > 1))
        step = 1
        while active.shape[0]:
            a, b = rec[active], rec[active + step]
            if earlier:
                keep = ~_already(a, b, earlier)
                a, b = a[keep], b[keep]
            if a.shape[0]:
                buf_a.append(a)
                buf_b.append(b)
                buffered += a.shape[0]
                produced += a.shape[0]
            if buffered >= chunk:
                yield np.concatenate(buf_a), np.concatenate(buf_b)
                buf_a, buf_b, buffered = [], [], 0
            step += 1
            active = active[rem[active] > step]
        if stats_out is not None:
            stats_out.per_key[bk.name] = produced
            stats_out.skipped_blocks[bk.name] = n_big
        # Oversized blocks may sit in another worker's share: always zero them.
        earlier.append((effective_keys(bk) if n_big or part[1] > 1 else bk.keys, bk.flag))
    if buffered:
        yield np.concatenate(buf_a), np.concatenate(buf_b)
