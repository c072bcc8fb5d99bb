"""Turn records into columns of small integers.

Every comparison the engine makes is "are these two ids equal" or a lookup in a per-id table,
which numpy does for millions of pairs in milliseconds. Strings are folded and interned once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

import numpy as np

from treem.lib.dedup.dates import parse_date
from treem.lib.dedup.names import split_name
from treem.lib.text import fold_many, tone_keys_many

COLUMNS: tuple[str, ...] = (
    "record_id",
    "full_name",
    "birth_date",
    "sex",
    "commune_code",
    "address",
    "mother_name",
    "father_name",
    "id_number",
)

_MALE = frozenset({"m", "male", "nam", "1", "trai"})
_FEMALE = frozenset({"f", "female", "nu", "2", "gai"})

MISSING = -1
_NOT_ALNUM = re.compile(r"\W+|_")


@dataclass(slots=True)
class Table:
    """Encoded records, one numpy column per feature; ``MISSING`` (-1) or 0 marks no value."""

    sur: np.ndarray  # int32 token id of the surname
    mid: np.ndarray  # int32 id of the middle name(s) as one phrase
    giv: np.ndarray  # int32 token id of the given name
    giv_tone: np.ndarray  # int32 id of the given name with diacritics (MISSING if typed without)
    bag: np.ndarray  # int64 hash of the name's sorted tokens (0 = no name)
    y: np.ndarray  # int16 birth year (0 = unknown)
    m: np.ndarray  # int8 birth month (0 = unknown)
    d: np.ndarray  # int8 birth day (0 = unknown)
    sex: np.ndarray  # int8: 0 unknown, 1 male, 2 female
    commune: np.ndarray  # int32 id
    addr: np.ndarray  # int32 id of the folded address
    mo_full: np.ndarray  # int32 id of the mother's folded full name
    mo_last: np.ndarray  # int32 token id of the mother's given name
    fa_full: np.ndarray
    fa_last: np.ndarray
    idn: np.ndarray  # int32 id of the personal id number
    # Strings of token ids that a frozen encoder handed out and did not keep (queries only).
    extra: dict[int, str] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.sur.shape[0])

    @classmethod
    def concat(cls, parts: Sequence[Table]) -> Table:
        if len(parts) == 1:
            return parts[0]
        cols = {
            f.name: np.concatenate([getattr(p, f.name) for p in parts])
            for f in fields(cls)
            if f.name != "extra"
        }
        return cls(**cols)


def _intern(
    index: dict[str, int], strings: list[str], values: Sequence[str], frozen: bool
) -> tuple[list[int], dict[int, str]]:
    """Map each value to a dense id, adding new ones unless *frozen* ("" is always MISSING).

    A frozen encoder (used for queries against a built index) gives unseen values fresh ids past
    the end of the vocabulary without keeping them, so an index does not grow with its queries;
    the strings of those ids are returned on the side so their similarity can still be computed.
    """
    if not frozen:
        # New values get the next ids in order of first appearance. Looping in Python over
        # the distinct new values only, and mapping every value with map() in C, is several
        # times faster than a loop over every value.
        new = [v for v in dict.fromkeys(values) if v not in index]
        if new:
            index.update(zip(new, range(len(strings), len(strings) + len(new)), strict=True))
            strings.extend(new)
        return list(map(index.__getitem__, values)), {}
    out: list[int] = []
    append = out.append
    get = index.get
    extra: dict[str, int] = {}
    for v in values:
        i = get(v)
        if i is None:
            i = extra.get(v)
            if i is None:
                i = len(strings) + len(extra)
                extra[v] = i
        append(i)
    return out, {i: v for v, i in extra.items()}


class Encoder:
    """Folds, splits and interns record fields; owns the vocabularies shared by a whole scan."""

    def __init__(self) -> None:
        # One vocabulary for name tokens, middle phrases and parents' full names: a mother's
        # given name and a child's given name are the same kind of token.
        self.tokens: dict[str, int] = {"": MISSING}
        self.token_strings: list[str] = []
        self.communes: dict[str, int] = {"": MISSING}
        self.commune_strings: list[str] = []
        self.addresses: dict[str, int] = {"": MISSING}
        self.address_strings: list[str] = []
        self.ids: dict[str, int] = {"": MISSING}
        self.id_strings: list[str] = []
        self.tones: dict[str, int] = {"": MISSING}
        self.tone_strings: list[str] = []
        self._names: dict[str, tuple[str, str, str, int, int]] = {}

    def drop_caches(self) -> None:
        """Forget the name-splitting cache once a batch is encoded (it can hold a million
        entries, which forked scan workers would otherwise inherit)."""
        self._names = {}

    def freeze(self) -> None:
        """Stop growing: vocabularies become tuples and the name cache is dropped.

        A built index only encodes queries (frozen), and tuples of strings are untracked by
        Python's cyclic garbage collector, whereas a million-item list is walked by every full
        collection, which showed up as 5-20 ms spikes in query latency.
        """
        self.token_strings = tuple(self.token_strings)  # type: ignore[assignment]
        self.commune_strings = tuple(self.commune_strings)  # type: ignore[assignment]
        self.address_strings = tuple(self.address_strings)  # type: ignore[assignment]
        self.id_strings = tuple(self.id_strings)  # type: ignore[assignment]
        self.tone_strings = tuple(self.tone_strings)  # type: ignore[assignment]
        self._names = {}
        self.frozen = True

    # The vocabularies, each with the columns of a Table whose ids index it.
    VOCABULARIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
        (
            "tokens",
            "token_strings",
            ("sur", "mid", "giv", "mo_full", "mo_last", "fa_full", "fa_last"),
        ),
        ("tones", "tone_strings", ("giv_tone",)),
        ("communes", "commune_strings", ("commune",)),
        ("addresses", "address_strings", ("addr",)),
        ("ids", "id_strings", ("idn",)),
    )

    def vocabularies(self) -> dict[str, list[str]]:
        """The strings of every vocabulary, in id order (what :meth:`absorb` takes)."""
        return {strings: list(getattr(self, strings)) for _, strings, _ in self.VOCABULARIES}

    def absorb(self, vocabularies: Mapping[str, Sequence[str]], table: Table) -> Table:
        """Take in a table encoded by another encoder whose vocabularies are given: their
        strings are interned here (new ones get the next ids, in their order) and the table's
        ids are renumbered to this encoder's. MISSING stays MISSING.

        Encoding the rows in two halves with two encoders and absorbing the second into the
        first gives the same strings per record as encoding them all with one encoder (ids may
        be numbered differently when the halves do not fall on the encoder's batch bounds).
        """
        cols = {f.name: getattr(table, f.name) for f in fields(Table) if f.name != "extra"}
        for index, strings, columns in self.VOCABULARIES:
            ids, _ = _intern(
                getattr(self, index), getattr(self, strings), vocabularies[strings], False
            )
            # One slot past the end for MISSING (-1), which indexes the last element.
            mapping = np.array([*ids, MISSING], dtype=np.int32)
            for c in columns:
                cols[c] = mapping[cols[c]]
        return Table(**cols)

    def token(self, token_id: int, extra: Mapping[int, str] | None = None) -> str:
        """The string of a token id (ids of a frozen query live in *extra*)."""
        if 0 <= token_id < len(self.token_strings):
            return self.token_strings[token_id]
        if extra:
            return extra.get(token_id, "")
        return ""

    def _split(
        self, folded_names: list[str], tone_names: list[str]
    ) -> tuple[list[str], list[str], list[str], list[int], list[str]]:
        cache = self._names
        surs: list[str] = []
        mids: list[str] = []
        givs: list[str] = []
        bags: list[int] = []
        tones: list[str] = []
        for name, toned in zip(folded_names, tone_names, strict=True):
            hit = cache.get(name)
            if hit is None:
                toks = name.split()
                s, mi, g = split_name(toks)
                # Hash of the sorted tokens: equal when two names hold the same words in any
                # order, the fallback when order detection guessed wrong.
                bag = hash(tuple(sorted(toks))) & 0x7FFF_FFFF_FFFF_FFFF if toks else 0
                if toks and not bag:
                    bag = 1
                # Position of the given name in the typed order (split_name may have moved
                # the surname from the end to the front).
                where = len(toks) - 2 if len(toks) > 1 and s != toks[0] else len(toks) - 1
                hit = (s, mi, g, bag, where)
                if len(cache) < 2_000_000:
                    cache[name] = hit
            surs.append(hit[0])
            mids.append(hit[1])
            givs.append(hit[2])
            bags.append(hit[3])
            # Typed without any diacritics: the tone form says nothing, leave it out.
            if toned == name or hit[4] < 0:
                tones.append("")
            else:
                words = toned.split()
                tones.append(words[hit[4]] if len(words) > hit[4] else "")
        return surs, mids, givs, bags, tones

    def encode(self, cols: Mapping[str, Sequence[str]], *, frozen: bool = False) -> Table:
        """Encode a batch given as columns (lists of strings, "" for empty)."""
        if getattr(self, "frozen", False) and not frozen:
            raise RuntimeError("This encoder belongs to a built index; encode with frozen=True.")
        n = len(cols["full_name"])

        def factorize(name: str) -> tuple[np.ndarray, list[str]]:
            # Registries repeat themselves (communes, dates, common names): work on the
            # distinct values and gather back, so the per-row cost is one dict lookup.
            values = cols.get(name)
            if not values:
                return np.zeros(n, np.int32), [""]
            # dict.fromkeys and map run in C: ~70 ns a row against ~500 for a Python loop.
            seen: dict[str, int] = dict.fromkeys(values, 0)
            uniques = list(seen)
            seen.update(zip(uniques, range(len(uniques)), strict=True))
            codes = np.fromiter(map(seen.__getitem__, values), dtype=np.int32, count=n)
            return codes, uniques

        tok, tstr = self.tokens, self.token_strings
        # Strings of token ids handed out to a frozen batch (a query), by id.
        extra: dict[int, str] = {}

        def tokens(values: list[str]) -> np.ndarray:
            # In a frozen batch, ids handed out by successive calls must not collide.
            ids, more = _intern(tok, tstr, values, frozen)
            if more:
                shift = len(extra)
                remap = {i: i + shift for i in more}
                ids = [remap.get(i, i) for i in ids]
                extra.update({i + shift: v for i, v in more.items()})
            return np.array(ids, dtype=np.int32)

        def interned(index: dict[str, int], strings: list[str], values: list[str]) -> np.ndarray:
            return np.array(_intern(index, strings, values, frozen)[0], dtype=np.int32)

        code, raw_names = factorize("full_name")
        names = fold_many(raw_names)
        surs, mids, givs, bags, tones = self._split(names, tone_keys_many(raw_names))
        giv_tone = interned(self.tones, self.tone_strings, tones)[code]
        sur, mid, giv = tokens(surs)[code], tokens(mids)[code], tokens(givs)[code]
        bag = np.array(bags, dtype=np.int64)[code]

        code, raw = factorize("birth_date")
        ymd = np.array([parse_date(v) for v in raw], dtype=np.int16).reshape(len(raw), 3)[code]

        code, raw = factorize("sex")
        sex = np.array(
            [1 if v in _MALE else 2 if v in _FEMALE else 0 for v in fold_many(raw)], np.int8
        )[code]

        def parent(name: str) -> tuple[np.ndarray, np.ndarray]:
            code, raw = factorize(name)
            folded = fold_many(raw)
            return tokens(folded)[code], tokens([v.rpartition(" ")[2] for v in folded])[code]

        mo_full, mo_last = parent("mother_name")
        fa_full, fa_last = parent("father_name")
        code, raw = factorize("commune_code")
        commune = interned(self.communes, self.commune_strings, fold_many(raw))[code]
        code, raw = factorize("address")
        addr = interned(self.addresses, self.address_strings, fold_many(raw))[code]
        code, raw = factorize("id_number")
        # Id numbers: keep digits and letters only, so "0752 1500 1234" equals "075215001234".
        clean = [v if v.isalnum() or not v else _NOT_ALNUM.sub("", v) for v in raw]
        idn = interned(self.ids, self.id_strings, clean)[code]

        return Table(
            extra=extra,
            sur=sur,
            mid=mid,
            giv=giv,
            giv_tone=giv_tone,
            bag=bag,
            y=ymd[:, 0].copy(),
            m=ymd[:, 1].astype(np.int8),
            d=ymd[:, 2].astype(np.int8),
            sex=sex,
            commune=commune,
            addr=addr,
            mo_full=mo_full,
            mo_last=mo_last,
            fa_full=fa_full,
            fa_last=fa_last,
            idn=idn,
        )
