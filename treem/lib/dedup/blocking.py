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


@dataclass(slots=True)
class _Blocks:
    """One key's usable blocks (2 to max_block records), records sorted by block."""

    name: str
    rec: np.ndarray  # int64 record positions, block after block
    rem: np.ndarray  # int64: records left in the block from this position on (itself included)
    starts: np.ndarray  # bool: a pair may start here (with a flag: only at flagged records)
    block: np.ndarray  # int64 block number (1..) of each position
    work: np.ndarray  # cumulative number of pairs of the blocks up to each block, for sharing
    n_big: int  # oversized blocks (left out)


@dataclass(slots=True)
class BlockPlan:
    """Every key's blocks, sorted once (before a scan's workers fork), and for each record the
    block it has under each key, so that a pair an earlier key already produced is recognised
    (see _already)."""

    keys: list[_Blocks]
    groups: np.ndarray  # int32 (keys, records): block number under each key, 0 for none
    # One byte per key and record, packed eight keys to a uint64 (one array per eight keys):
    # the block number folded to 1..255, 0 for none. Equal bytes: maybe the same block.
    prints: list[np.ndarray]
    flags: list[tuple[int, np.ndarray]]  # (key, flag) of the asymmetric keys


_LOW7 = np.uint64(0x7F7F_7F7F_7F7F_7F7F)


def _sort_blocks(keys: np.ndarray, flag: np.ndarray | None) -> np.ndarray:
    """Positions of the records with a key, sorted by key (flagged records first within a
    key), each key's records in position order: a stable argsort. Done as one plain sort of
    the key's high bits and the position packed in one integer, which is several times
    faster; when two different keys share those high bits, by the stable argsort."""
    rec = np.flatnonzero(keys)
    k = keys[rec]
    shift = max(int(keys.shape[0]).bit_length(), 1) + (flag is not None)
    if shift <= 40:
        packed = (k >> np.uint64(shift)) << np.uint64(shift)
        packed |= rec.astype(np.uint64)
        if flag is not None:
            packed |= (~flag[rec]).astype(np.uint64) << np.uint64(shift - 1)
        packed.sort()
        order_rec = (packed & np.uint64((1 << (shift - (flag is not None))) - 1)).astype(np.int64)
        high = packed >> np.uint64(shift)
        sk = keys[order_rec]
        # Neighbours with equal high bits must have equal keys (else two keys were merged).
        if not ((high[1:] == high[:-1]) & (sk[1:] != sk[:-1])).any():
            return order_rec
    order = np.argsort(k, kind="stable") if flag is None else np.lexsort((~flag[rec], k))
    return rec[order]


def _blocks(bk: BlockKey) -> _Blocks:
    rec = _sort_blocks(bk.keys, bk.flag)
    k = bk.keys[rec]
    n = k.shape[0]
    if n == 0:
        z = np.zeros(0, np.int64)
        return _Blocks(bk.name, z, z, np.zeros(0, bool), z, np.zeros(1, np.int64), 0)
    start = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    size = np.diff(np.r_[start, n])
    big = size > bk.max_block
    usable = (size >= 2) & ~big
    rec = rec[np.repeat(usable, size)]
    size = size[usable]
    end = np.repeat(np.cumsum(size), size)
    rem = end - np.arange(rec.shape[0])
    block = np.repeat(np.arange(1, size.shape[0] + 1, dtype=np.int64), size)
    starts = bk.flag[rec] if bk.flag is not None else np.ones(rec.shape, bool)
    work = np.r_[0, np.cumsum(size * (size - 1) // 2)]
    return _Blocks(bk.name, rec, rem, starts, block, work, int(big.sum()))


def plan_blocks(keys: list[BlockKey]) -> BlockPlan:
    """Sort every key's blocks (see BlockPlan)."""
    n = keys[0].keys.shape[0] if keys else 0
    groups = np.zeros((len(keys), n), np.int32)
    words = max((len(keys) + 7) // 8, 1)
    prints = np.zeros((n, words * 8), np.uint8)
    out: list[_Blocks] = []
    flags: list[tuple[int, np.ndarray]] = []
    for j, bk in enumerate(keys):
        b = _blocks(bk)
        groups[j, b.rec] = b.block
        prints[b.rec, j] = b.block % 255 + 1
        if bk.flag is not None:
            flags.append((j, bk.flag))
        out.append(b)
    words8 = prints.view("<u8")
    return BlockPlan(out, groups, [words8[:, w].copy() for w in range(words)], flags)


def _zero_bytes(x: np.ndarray) -> np.ndarray:
    """The high bit of each byte of *x* (uint64) set where that byte is 0, exactly."""
    return ~(((x & _LOW7) + _LOW7) | x | _LOW7)


def _already(plan: BlockPlan, j: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs one of the keys before key *j* has already produced (so each pair is scored
    once): the two records share a block under that key (and, for an asymmetric key, one of
    them is flagged). The packed bytes rule out most pairs at once; the few that agree on a
    byte of an earlier key are checked on the block numbers."""
    maybe = np.zeros(a.shape, bool)
    for w in range((j + 7) // 8):
        keys_before = min(j - 8 * w, 8)
        # High bit of the bytes of keys before j (little-endian: key 8w + i is byte i).
        mask = np.uint64(sum(0x80 << (8 * i) for i in range(keys_before)))
        x, y = plan.prints[w][a], plan.prints[w][b]
        # Same byte, and not "no block" (0) on a's side.
        maybe |= (_zero_bytes(x ^ y) & ~_zero_bytes(x) & mask) != 0
    hit = np.flatnonzero(maybe)
    if not hit.shape[0]:
        return maybe
    ha, hb = a[hit], b[hit]
    same = np.zeros(hit.shape, bool)
    flags = dict(plan.flags)
    for i in range(j):
        g = plan.groups[i]
        ga = g[ha]
        s = (ga != 0) & (ga == g[hb])
        if i in flags:
            s &= flags[i][ha] | flags[i][hb]
        same |= s
    maybe[hit] = same
    return maybe


def iter_pairs(
    keys: list[BlockKey] | BlockPlan,
    chunk: int = 1_000_000,
    stats_out: PairStats | None = None,
    part: tuple[int, int] = (0, 1),
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield candidate pairs (arrays of record positions) in chunks of about *chunk*, each
    pair once across all keys. With ``part=(i, n)`` only the i-th of n shares of each key's
    blocks (shares of about equal numbers of pairs)."""
    plan = keys if isinstance(keys, BlockPlan) else plan_blocks(keys)
    which, parts = part
    buf_a: list[np.ndarray] = []
    buf_b: list[np.ndarray] = []
    buffered = 0
    for j, bl in enumerate(plan.keys):
        rec, rem, starts = bl.rec, bl.rem, bl.starts
        if parts > 1:
            # Consecutive runs of blocks holding about equal numbers of pairs.
            share = bl.work[:-1] * parts // max(int(bl.work[-1]), 1)
            starts = starts & (share[bl.block - 1] == which)
        produced = 0
        active = np.flatnonzero(starts & (rem > 1))
        step = 1
        while active.shape[0]:
            a, b = rec[active], rec[active + step]
            if j:
                keep = ~_already(plan, j, a, b)
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
            stats_out.per_key[bl.name] = produced
            stats_out.skipped_blocks[bl.name] = bl.n_big if which == 0 else 0
    if buffered:
        yield np.concatenate(buf_a), np.concatenate(buf_b)
