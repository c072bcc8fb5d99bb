"""Duplicate detection for the child registry (pure Python: numpy and rapidfuzz, no Django).

Use :class:`Index` to check one new record against many, :func:`find_pairs` or
:func:`scan_csv` to scan a whole registry. See docs/dedup.md.
"""

from treem.lib.dedup.engine import (
    DEFAULT_THRESHOLD,
    Candidate,
    FieldEvidence,
    Index,
    Record,
    ScanResult,
    find_pairs,
    records_to_columns,
    scan_csv,
    scan_table,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Candidate",
    "FieldEvidence",
    "Index",
    "Record",
    "ScanResult",
    "find_pairs",
    "records_to_columns",
    "scan_csv",
    "scan_table",
]
