"""Importing children from the spreadsheets communes keep today (Excel or CSV).

Steps: read the file; map its columns to registry fields (guessed from the headers, remembered per
header row in `ImportTemplate`); validate every row with the same rules as the registration form,
one message per cell naming row and column; match valid rows to children already registered (by
personal ID number, then by the duplicate engine) so that importing the same file twice creates
nothing new; then write.

Atomicity: the whole set of valid rows is written in ONE transaction, after every row has been
validated and matched. Either all valid rows are in the registry or none is; a row is never half
written (a child without its carers). Invalid rows are never written and come back as a file with
the reason in an added column. One transaction rather than one per row is also what makes 100,000
rows take seconds: rows are inserted in bulk.

Matched rows fill the existing child's empty fields and never overwrite a value already there: a
match found by name and date is very likely the same child but not certain, and the registry's
value was entered by someone who saw the child.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treem.audit.services import audit_record
from treem.lib.dedup import DEFAULT_THRESHOLD, find_pairs
from treem.lib.spreadsheet import safe_cell
from treem.lib.text import fold, fold_many, nfc
from treem.registry import dedup, sheets
from treem.registry.cleaning import (
    CHILD_FIELDS,
    GeoLookup,
)
from treem.registry.models import (
    Child,
    DuplicateDecision,
    ImportBatch,
    ImportRow,
    ImportTemplate,
    stall_cutoff,
)

# Fields a column can be mapped to, with the labels shown on the mapping page.
IMPORT_FIELDS: dict[str, str] = {
    "source_ref": "Mã hồ sơ trong tệp",
    "full_name": "Họ và tên",
    "other_names": "Tên gọi khác",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "nationality": "Quốc tịch",
    "id_number": "Số định danh cá nhân",
    "birth_registration": "Đăng ký khai sinh",
    "commune": "Mã xã, phường",
    "village": "Thôn, ấp",
    "address": "Địa chỉ",
    "current_address": "Nơi đang sinh sống",
    "school_status": "Tình trạng đi học",
    "school_name": "Trường",
    "grade": "Lớp",
    "health_insurance_number": "Số thẻ BHYT",
    "disability_type": "Dạng khuyết tật",
    "disability_severity": "Mức độ khuyết tật",
    "nutrition_status": "Dinh dưỡng",
    "poverty_status": "Hộ nghèo, cận nghèo",
    "mother_name": "Họ tên mẹ",
    "father_name": "Họ tên cha",
    "carer_name": "Người chăm sóc",
}

# Folded header words that name each field in the lists communes keep.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_ref": ("record_id", "ma ho so", "ma tre", "stt ho so"),
    "full_name": ("full_name", "ho va ten", "ho ten", "ho ten tre", "ten tre", "ho va ten tre"),
    "other_names": ("ten goi khac", "ten khac", "other_names"),
    "birth_date": ("birth_date", "ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh"),
    "sex": ("sex", "gioi tinh", "gioi"),
    "ethnicity": ("ethnicity", "dan toc"),
    "nationality": ("quoc tich", "nationality"),
    "id_number": ("id_number", "so dinh danh", "so dinh danh ca nhan", "ma dinh danh", "cccd"),
    "birth_registration": ("dang ky khai sinh", "khai sinh"),
    "commune": ("commune_code", "ma xa", "ma xa, phuong", "ma xa phuong"),
    "village": ("village", "thon", "ap", "thon, ap", "khu pho", "thon, ap, khu pho", "to dan pho"),
    "address": ("address", "dia chi", "dia chi thuong tru", "noi thuong tru"),
    "current_address": ("noi o hien tai", "noi dang sinh song", "cho o hien nay"),
    "school_status": ("tinh trang di hoc", "di hoc"),
    "school_name": ("truong", "ten truong", "truong hoc"),
    "grade": ("lop", "lop hoc"),
    "health_insurance_number": ("the bhyt", "so the bhyt", "bhyt", "bao hiem y te"),
    "disability_type": ("dang khuyet tat", "khuyet tat"),
    "disability_severity": ("muc do khuyet tat",),
    "nutrition_status": ("dinh duong", "tinh trang dinh duong"),
    "poverty_status": ("ho ngheo", "ho ngheo, can ngheo", "hoan canh ho", "poverty_status"),
    "mother_name": ("mother_name", "ho ten me", "me", "ten me"),
    "father_name": ("father_name", "ho ten cha", "cha", "ten cha", "bo"),
    "carer_name": ("nguoi cham soc", "nguoi giam ho", "ho ten nguoi cham soc"),
}
_BY_HEADER = {syn: name for name, syns in _SYNONYMS.items() for syn in syns}


# --- reading files --------------------------------------------------------------------------


def field_for(header: str) -> str | None:
    """The field a column header names ("Họ và tên trẻ em", "Ngày, tháng, năm sinh (1)", a
    two-row "Họ tên cha, mẹ - Cha"), or None."""
    text = fold(header)
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" :*.-")
    if not text:
        return None
    hit = _BY_HEADER.get(text)
    if hit:
        return hit
    # Two-row headers read "group - column": the column's own words decide ("Cha", "Mẹ").
    if " - " in text:
        top, _sep, bottom = text.rpartition(" - ")
        return _BY_HEADER.get(bottom.strip()) or _BY_HEADER.get(top.strip())
    # "Họ và tên trẻ em", "Địa chỉ thường trú của hộ": the longest known start of six or more
    # letters (short words such as "ap", "me" only count as the whole header).
    best = None
    for syn, name in _BY_HEADER.items():
        if len(syn) >= 6 and text.startswith(syn + " ") and (best is None or len(syn) > best[0]):
            best = (len(syn), name)
    return best[1] if best else None


def _remembered_layouts() -> list[tuple[int, int]]:
    return list(
        ImportTemplate.objects.exclude(header_row=1, header_depth=1)
        .values_list("header_row", "header_depth")
        .distinct()
    )


def _known(headers: list[str]) -> bool:
    return ImportTemplate.objects.filter(header_key=header_key(headers)).exists()


def read_sheet(path: str | Path, *, file_name: str | None = None, on_progress=None):
    """The data of a ward list (a `sheets.Table`), its title and signature blocks skipped."""
    return sheets.read(
        path,
        file_name=file_name,
        field_for=field_for,
        remembered=_remembered_layouts(),
        known_key=_known,
        on_progress=on_progress,
    )


def read_table(path: str | Path, *, file_name: str | None = None) -> tuple[list[str], list[list]]:
    """(headers, rows) of the first sheet of an .xlsx file or of a CSV."""
    table = read_sheet(path, file_name=file_name)
    return table.headers, table.rows


def header_key(headers: Sequence[str]) -> str:
    return hashlib.sha256("|".join(fold(h) for h in headers).encode()).hexdigest()[:32]


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    """{header: field} for headers whose words name a field; a remembered template wins."""
    template = ImportTemplate.objects.filter(header_key=header_key(headers)).first()
    if template is not None:
        return {h: f for h, f in template.mapping.items() if h in headers}
    out: dict[str, str] = {}
    used: set[str] = set()
    for h in headers:
        name = field_for(h)
        if name and name not in used:
            out[h] = name
            used.add(name)
    return out


def template_remember(
    *,
    actor,
    headers: Sequence[str],
    mapping: dict[str, str],
    header_row: int = 1,
    header_depth: int = 1,
) -> None:
    ImportTemplate.objects.update_or_create(
        header_key=header_key(headers),
        defaults={
            "headers": list(headers),
            "mapping": mapping,
            "created_by": actor,
            "header_row": header_row,
            "header_depth": header_depth,
        },
    )


# --- validating and matching ----------------------------------------------------------------


@dataclass
class RowResult:
    number: int  # 1-based data row number as the user sees it (header is row 1)
    raw: list
    values: dict[str, Any] = field(default_factory=dict)
    carers: list[dict] = field(default_factory=list)
    poverty: str = "unknown"
    source_ref: str = ""
    errors: list[str] = field(default_factory=list)  # "Dòng 5, cột “Ngày sinh”: …"
    match_id: int | None = None
    match_score: float | None = None
    match_by: str = ""  # "id_number", "fingerprint", "exact" or "engine"
    fills: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""  # row_fingerprint of a valid row
    same_file: int | None = None  # the earlier row of the file this row repeats
    # Written by an interrupted earlier commit of the same batch: "created" or "updated".
    done: str = ""


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rows: list[RowResult] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    matches: dict[str, list] = field(default_factory=dict)  # see match_rows

    @property
    def rejects(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    def summary(self) -> str:
        return f"imported {self.imported}, updated {self.updated}, rejected {self.rejected}"


def _cell_error(row: int, column: str, message: str) -> str:
    return _("Dòng %(row)s, cột “%(column)s”: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def validate_rows(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    mapping: dict[str, str],
    commune_code: str,
    geo: GeoLookup,
    today: dt.date,
    numbers: Sequence[int] | None = None,
) -> list[RowResult]:
    """Check every row with the registration's own check (`services.child_validate`)."""
    from treem.registry.services import child_validate

    column_of = {f: h for h, f in mapping.items()}
    pos = {h: i for i, h in enumerate(headers)}
    wanted = [(f, pos[h]) for h, f in mapping.items() if h in pos]
    results: list[RowResult] = []
    for k, row in enumerate(rows):
        n = numbers[k] if numbers is not None else k + 2
        raw: dict[str, Any] = {f: (row[i] if i < len(row) else None) for f, i in wanted}
        if raw.get("commune") in (None, ""):
            raw["commune"] = commune_code
        r = RowResult(number=n, raw=list(row))
        for key, rel in (("mother_name", "mother"), ("father_name", "father")):
            name = nfc(str(raw.get(key) or ""))
            if name:
                r.carers.append({"full_name": name, "relationship": rel})
        carer = nfc(str(raw.get("carer_name") or ""))
        if carer:
            r.carers.append({"full_name": carer, "relationship": "guardian"})
        item, errors = child_validate(
            raw,
            carers=r.carers,
            poverty_status=raw.get("poverty_status"),
            geo=geo,
            today=today,
        )
        if not errors and item.values["commune"].code != commune_code:
            errors["commune"] = [
                _("Dòng này thuộc xã, phường khác với xã đang nhập. Hãy nhập ở xã của trẻ.")
            ]
        for fname, messages in errors.items():
            column = column_of.get(fname) or IMPORT_FIELDS.get(fname, fname)
            r.errors.extend(_cell_error(n, column, m) for m in messages)
        r.values = item.values
        r.carers = item.carers
        r.poverty = item.poverty
        r.source_ref = nfc(str(raw.get("source_ref") or ""))[:40]
        results.append(r)
    return results


def _plain(value):
    return getattr(value, "pk", None) or str(value)


def row_fingerprint(r: RowResult) -> str:
    """A digest of a checked row as it would be written (normalised values, carers, poverty
    status): a row with the same fingerprint as the one a child was created or filled from
    brings nothing new."""
    carers = sorted(json.dumps(c, sort_keys=True, default=_plain) for c in r.carers)
    payload = json.dumps([r.values, carers, r.poverty], sort_keys=True, default=_plain)
    return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()


def _same_file(records: list[dict[str, str]]) -> dict[int, int]:
    """{later row position: earlier row position} for rows of the file that are one child."""
    out: dict[int, int] = {}
    if len(records) < 2:
        return out
    for a, b, _score in find_pairs(records, threshold=DEFAULT_THRESHOLD):
        x, y = sorted((int(a[1:]), int(b[1:])))
        if y not in out or x < out[y]:
            out[y] = x
    return out


def _registry_match(
    new_records: list[dict[str, str]], existing: list[dict[str, str]]
) -> dict[int, tuple[float, int, str]]:
    """{row position: (score, child id, how)} for rows that are a child of *existing*: an
    identical row (same folded name, birth date and sex) directly, so re-importing a file
    never depends on the engine's blocking caps; the rest by the duplicate engine."""
    out: dict[int, tuple[float, int, str]] = {}
    if not new_records or not existing:
        return out
    exact: dict[tuple, int | None] = {}
    for rec, key in zip(existing, fold_many([e["full_name"] for e in existing]), strict=True):
        k = (key, rec["birth_date"], rec["sex"])
        exact[k] = None if k in exact else int(rec["record_id"])
    for rec, key in zip(new_records, fold_many([n["full_name"] for n in new_records]), strict=True):
        hit = exact.get((key, rec["birth_date"], rec["sex"]))
        if hit:
            out[int(rec["record_id"][1:])] = (1.0, hit, "exact")
    for a, b, score in find_pairs([*existing, *new_records], threshold=DEFAULT_THRESHOLD):
        ra, rb = a.startswith("r"), b.startswith("r")
        if ra == rb:
            continue
        k, cid = (int(a[1:]), int(b)) if ra else (int(b[1:]), int(a))
        if k not in out or (out[k][2] == "engine" and score > out[k][0]):
            out[k] = (score, cid, "engine")
    return out


def match_rows(
    results: list[RowResult],
    *,
    commune_code: str,
    province_code: str,
    kept: dict[str, list] | None = None,
    since: dt.datetime | None = None,
) -> dict[str, list]:
    """Link valid rows to children already in the registry; reject repeats within the file.

    First by personal ID number (anywhere in the province), then by fingerprint (the very row
    a child of the commune was created or filled from: no engine needed), then by an identical
    row or the duplicate engine against the commune's children, at the engine's default
    threshold. With *kept* (the check's matches, see `ImportBatch.matches`) and *since* (when
    the check ran), the commit reuses the check's result and runs the engine only for rows
    left new against the children registered or changed since. Returns what it found for
    each valid row, in the form *kept* takes.
    """
    from treem.registry.services import record_for

    valid = [r for r in results if not r.errors]
    for r in valid:
        r.fingerprint = row_fingerprint(r)
    live = dedup.live_children()
    ids = [r.values["id_number"] for r in valid if r.values["id_number"]]
    by_id: dict[str, int] = {}
    for i in range(0, len(ids), 5000):
        by_id.update(
            Child.objects.filter(live, id_number__in=ids[i : i + 5000]).values_list(
                "id_number", "pk"
            )
        )
    # Two live children created from one identical row (the engine did not pair two identical
    # rows of one file) are duplicates of each other already: the row is the first of them.
    prints: dict[str, int] = {}
    commune_children = Child.objects.filter(live, commune_id=commune_code)
    for fp, pk in commune_children.exclude(import_fingerprint="").values_list(
        "import_fingerprint", "pk"
    ):
        prints[fp] = min(prints.get(fp, pk), pk)
    for r in valid:
        hit = by_id.get(r.values["id_number"]) if r.values["id_number"] else None
        if hit:
            r.match_id, r.match_score, r.match_by = hit, 1.0, "id_number"
            continue
        hit = prints.get(r.fingerprint)
        if hit:
            r.match_id, r.match_score, r.match_by = hit, 1.0, "fingerprint"
    # A row an earlier import rejected as a repeat of another row of its file: that row's
    # child, if still live, is this row's child too (the claim below rejects it again).
    live_ids = set(commune_children.exclude(import_fingerprint="").values_list("pk", flat=True))
    repeats = _repeat_prints(commune_code) if live_ids else {}
    for r in valid:
        hit = repeats.get(r.fingerprint) if r.match_id is None else None
        if hit in live_ids:
            r.match_id, r.match_score, r.match_by = hit, 1.0, "fingerprint"

    position = {r.number: k for k, r in enumerate(valid)}
    same_file: dict[int, int] = {}
    engine_rows: list[int]  # positions of the rows the engine matches against the registry
    existing_qs = commune_children
    if kept and since is not None and _kept_usable(valid, kept, position):
        for k, r in enumerate(valid):
            child_id, how, value = kept[str(r.number)]
            if how == "same_file":
                same_file[k] = position[value]
            elif r.match_id is None and child_id is not None:
                r.match_id, r.match_score, r.match_by = child_id, value, how
        engine_rows = [k for k, r in enumerate(valid) if r.match_id is None and k not in same_file]
        # Only children registered or changed since the check can concern the rows it left new.
        existing_qs = commune_children.filter(updated_at__gte=since)
    else:
        # Repeats within the file are found among all the file's valid rows, those already in
        # the registry as they are included: the engine learns its weights from the rows it is
        # given, so pairing only the rows left new would judge the same pair differently the
        # second time (measured: a 100,000-row file imported again added 20 children and
        # rejected 71 other rows). A row already in the registry as it is stays matched.
        # When every row is already in the registry as it is, there is nothing to pair.
        unseen = [k for k, r in enumerate(valid) if r.match_by != "fingerprint"]
        records = []
        for k, r in enumerate(valid if unseen else []):
            rec = record_for(r.values, r.carers)
            rec["record_id"] = f"r{k}"
            records.append(rec)
        same_file = {
            k: v for k, v in _same_file(records).items() if valid[k].match_by != "fingerprint"
        }
        engine_rows = [k for k in unseen if valid[k].match_id is None]
    if engine_rows:
        new_records = []
        for k in engine_rows:
            rec = record_for(valid[k].values, valid[k].carers)
            rec["record_id"] = f"r{k}"
            new_records.append(rec)
        existing = list(dedup.child_records(existing_qs))
        for k, (score, cid, how) in _registry_match(new_records, existing).items():
            r = valid[k]
            r.match_score, r.match_id, r.match_by = score, cid, how
    kept_now: dict[str, list] = {}
    for k, r in enumerate(valid):
        if k in same_file:
            kept_now[str(r.number)] = [None, "same_file", valid[same_file[k]].number]
        else:
            kept_now[str(r.number)] = [r.match_id, r.match_by or "new", r.match_score]
    claimed: dict[int, int] = {}
    for k, r in enumerate(valid):
        if k in same_file:
            r.same_file = valid[same_file[k]].number
            r.errors.append(
                _(
                    "Dòng %(row)s: nhiều khả năng là cùng một trẻ với dòng %(other)s của tệp. Hãy "
                    "gộp hai dòng thành một rồi nhập lại dòng này."
                )
                % {"row": r.number, "other": r.same_file}
            )
            continue
        if r.match_id is not None:
            if r.match_id in claimed:
                r.errors.append(
                    _(
                        "Dòng %(row)s: cùng một trẻ với dòng %(other)s của tệp. Hãy gộp hai dòng "
                        "thành một rồi nhập lại dòng này."
                    )
                    % {"row": r.number, "other": claimed[r.match_id]}
                )
                continue
            claimed[r.match_id] = r.number
    return kept_now


def _repeat_prints(commune_code: str) -> dict[str, int]:
    """{fingerprint: child id} of rows earlier imports of the commune rejected as repeats."""
    out: dict[str, int] = {}
    done = ImportBatch.objects.filter(commune_id=commune_code, status=ImportBatch.Status.DONE)
    for prints in done.order_by("pk").values_list("result__repeat_prints", flat=True):
        out.update(prints or {})
    return out


def _kept_usable(valid: list[RowResult], kept: dict[str, list], position: dict[int, int]) -> bool:
    """The check's matches can stand for the commit when every valid row was checked, every
    repeat points at a row still valid, and every matched child is still live."""
    matched: set[int] = set()
    for r in valid:
        entry = kept.get(str(r.number))
        if entry is None:
            return False
        child_id, how, value = entry
        if how == "same_file" and value not in position:
            return False
        if child_id is not None:
            matched.add(child_id)
    alive = 0
    found = list(matched)
    for i in range(0, len(found), 5000):
        alive += Child.objects.filter(dedup.live_children(), pk__in=found[i : i + 5000]).count()
    return alive == len(matched)


_FILLABLE = [f for f in CHILD_FIELDS if f not in ("commune", "legal_basis")]
_DEFAULTS = {
    "birth_registration": "unknown",
    "school_status": "unknown",
    "nutrition_status": "unknown",
}


def _fills(child: Child, values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for f in _FILLABLE:
        if f in ("full_name", "birth_date", "birth_date_precision", "sex"):
            continue
        new = values.get(f)
        if new in (None, "") or new == _DEFAULTS.get(f):
            continue
        old = getattr(child, f)
        if old in (None, "") or old == _DEFAULTS.get(f):
            out[f] = new
    return out


# --- writing --------------------------------------------------------------------------------


def run_import(
    *,
    actor,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    mapping: dict[str, str],
    commune_code: str,
    dry_run: bool = False,
    batch: ImportBatch | None = None,
    today: dt.date | None = None,
    file_name: str = "",
    numbers: Sequence[int] | None = None,
    kept: dict[str, list] | None = None,
    since: dt.datetime | None = None,
) -> ImportReport:
    """Validate, match and (unless `dry_run`) write the rows: new children through
    `services.children_create`, filled fields through `services.children_fill` (the services
    registration uses: same check, version, one audit entry per child)."""
    from treem.registry.services import ChildInput, children_create, children_fill

    t0 = time.perf_counter()
    today = today or timezone.localdate()
    geo = GeoLookup.load(None)
    commune = geo.commune(commune_code)
    if commune is None:
        raise ValueError(_("Không có xã, phường mã %(code)s.") % {"code": commune_code})
    report = ImportReport()
    report.rows = validate_rows(
        headers,
        rows,
        mapping=mapping,
        commune_code=commune.code,
        geo=geo,
        today=today,
        numbers=numbers,
    )
    t1 = time.perf_counter()
    report.matches = match_rows(
        report.rows,
        commune_code=commune.code,
        province_code=commune.province_id,
        kept=kept,
        since=since,
    )
    t2 = time.perf_counter()
    # A row matched by its fingerprint is the very row the child was created or filled from:
    # nothing to fill, and the child need not be read.
    matched = {
        r.match_id
        for r in report.rows
        if not r.errors and r.match_id and r.match_by != "fingerprint"
    }
    children = Child.objects.in_bulk(list(matched)) if matched else {}
    for r in report.rows:
        if not r.errors and r.match_id and r.match_by != "fingerprint":
            r.fills = _fills(children[r.match_id], r.values)
    _count(report)
    if dry_run:
        report.seconds = {"validate": t1 - t0, "match": t2 - t1}
        return report
    if batch is None:
        batch = ImportBatch.objects.create(
            file_name=file_name[:255],
            commune=commune,
            mapping=mapping,
            created_by=actor,
            status=ImportBatch.Status.COMMITTING,
        )
    details = {"import": batch.pk}
    # Rows an earlier, interrupted commit of this batch wrote are matched by fingerprint now;
    # what it wrote (kept on the batch part by part) says how to count them.
    written = (batch.result or {}).get("written") or {}
    earlier_created = _expand(written.get("created", []))
    earlier_updated = set(written.get("updated", []))
    for r in report.rows:
        if not r.errors and r.match_by == "fingerprint":
            if r.match_id in earlier_created:
                r.done = "created"
            elif r.match_id in earlier_updated:
                r.done = "updated"
    child_of = {r.number: r.match_id for r in report.rows if not r.errors and r.match_id}
    created = sorted(earlier_created)
    updated = sorted(earlier_updated)
    changed: set[int] = set()
    parts = _write_parts(report.rows, settings.IMPORT_PART_ROWS)
    progress = len(report.rows) - sum(len(part) for part in parts)
    pause = settings.IMPORT_PAUSE_PERCENT / 100
    # The writes go in parts of a few thousand rows, each its own transaction, so that a long
    # import never holds the database (SQLite's one writer, sessions waiting on it) for more than
    # a part; after each part the import pauses for that part's time times `pause`, which gives
    # the web pages the CPU back (the database server's share, which the worker's own low
    # priority does not reach). A commit interrupted by an error resumes where it stopped: what
    # each part wrote is kept on the batch in the same transaction, its rows match by
    # fingerprint the next time, and nothing is written twice.
    for part in parts:
        started = time.perf_counter()
        with transaction.atomic():
            new_rows = [r for r in part if _is_new(r)]
            ids = children_create(
                actor=actor,
                items=[
                    ChildInput(
                        values=r.values,
                        carers=r.carers,
                        poverty=r.poverty,
                        source_ref=f"import:{batch.pk}:{r.source_ref or f'row{r.number}'}",
                        fingerprint=r.fingerprint,
                    )
                    for r in new_rows
                ],
                source=DuplicateDecision.Source.IMPORT,
                details=details,
            )
            created.extend(ids)
            child_of.update((r.number, cid) for r, cid in zip(new_rows, ids, strict=True))
            filled = [r for r in part if not r.errors and r.match_id and r.fills]
            refused = set(
                children_fill(
                    actor=actor,
                    fills=[(children[r.match_id], r.fills) for r in filled],
                    source=DuplicateDecision.Source.IMPORT,
                    details=details,
                    fingerprints={r.match_id: r.fingerprint for r in filled},
                )
            )
            changed |= refused
            updated.extend(r.match_id for r in filled if r.match_id not in refused)
            # Rows matched to a child and bringing nothing new: remember the row on the child,
            # so the same row imported again is recognised without the engine.
            _stamp(
                {
                    r.match_id: r.fingerprint
                    for r in part
                    if not r.errors and r.match_id and not r.fills and r.match_by != "fingerprint"
                }
            )
            _record_links(actor, part, children)
            progress += len(part)
            if not ImportBatch.objects.filter(pk=batch.pk, claim=batch.claim).update(
                progress=progress,
                result={"written": {"created": _ranges(created), "updated": sorted(updated)}},
                heartbeat_at=timezone.now(),
            ):
                raise Superseded  # the part is undone with its transaction
        _between_parts(started, pause)
    report.created_ids = created
    with transaction.atomic():
        for r in report.rows:
            if r.fills and r.match_id in changed and not r.errors:
                r.errors.append(
                    _(
                        "Dòng %(row)s: hồ sơ của trẻ vừa được người khác sửa trong lúc nhập nên "
                        "không bổ sung. Hãy nhập lại dòng này."
                    )
                    % {"row": r.number}
                )
        _count(report)
        if not ImportBatch.objects.filter(pk=batch.pk, claim=batch.claim).update(
            heartbeat_at=timezone.now()
        ):
            raise Superseded
        batch.imported, batch.updated = report.imported, report.updated
        batch.unchanged, batch.rejected = report.unchanged, report.rejected
        batch.status = ImportBatch.Status.DONE
        batch.matches = {}  # used: the result below is what stays
        batch.finished_at = timezone.now()
        batch.progress = len(report.rows)
        batch.result = {
            "imported": report.imported,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "created_ids": _ranges(report.created_ids),
            "updated_ids": sorted(
                r.match_id for r in report.rows if not r.errors and (r.fills or r.done == "updated")
            ),
            "rejects": {str(r.number): r.errors for r in report.rows if r.errors},
            # Rows rejected as repeats of another row of the file, by fingerprint, with the
            # child that row became: the same file imported again needs no engine for them.
            "repeat_prints": {
                r.fingerprint: child_of[r.same_file]
                for r in report.rows
                if r.same_file is not None and child_of.get(r.same_file)
            },
        }
        batch.save()
        audit_record(
            actor=actor,
            action="create",
            obj=batch,
            details={
                "commune": commune.code,
                "imported": report.imported,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "created_ids": batch.result["created_ids"],
                "updated_ids": batch.result["updated_ids"],
            },
        )
    report.seconds = {"validate": t1 - t0, "match": t2 - t1, "write": time.perf_counter() - t2}
    return report


def _between_parts(started: float, pause: float) -> None:
    """After a part is committed: renew the planner's statistics of the children and their
    carers, which the parts make grow by tens of thousands of rows in minutes (planned from the
    figures of before the import, the pages read a commune of 87,000 children as if it held
    1,000: on SQLite the child list's first page sorted the whole commune, 114 ms, where walking
    the commune's name index takes 4 ms); on SQLite, also copy the write-ahead log into the
    database file at once (a reader whose snapshot the file holds whole reads no log; left to
    grow, the log made every page read of the web workers slower as the import went on); then
    the pause. SQLite's ANALYZE reads a bounded sample of each index (`analysis_limit`, as its
    documentation advises for a database that grows): about 10 ms at 100,000 children."""
    from django.db import connection

    if not connection.in_atomic_block:
        renew_statistics()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    if pause:
        time.sleep((time.perf_counter() - started) * pause)


def renew_statistics() -> None:
    """Take the planner's statistics of the children and their carers again (see
    `_between_parts`)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE registry_child")
            cursor.execute("ANALYZE registry_childcarer")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE registry_child, registry_childcarer")


def _write_parts(rows: list[RowResult], size: int) -> list[list[RowResult]]:
    """The rows that write something, in parts of about *size* rows: new children first, brothers
    and sisters of one household always in the same part (they share its row and their parents'),
    then the rows that fill or confirm a child already in the registry, in file order."""
    from treem.registry.services import household_key

    families: dict[tuple, list[RowResult]] = {}
    for r in rows:
        if _is_new(r):
            key = household_key(r.values, r.carers) or ("row", r.number)
            families.setdefault(key, []).append(r)
    parts: list[list[RowResult]] = []
    part: list[RowResult] = []
    for family in families.values():
        part.extend(family)
        if len(part) >= size:
            parts.append(part)
            part = []
    if part:
        parts.append(part)
    others = [
        r
        for r in rows
        if not r.errors and r.match_id and r.match_by != "fingerprint" and not r.done
    ]
    parts.extend(others[i : i + size] for i in range(0, len(others), size))
    return parts


def written_so_far(batch: ImportBatch) -> int:
    """Children an interrupted commit of this batch created or filled before it stopped (0 once
    the batch is done: its result counts them)."""
    if batch.status == ImportBatch.Status.DONE:
        return 0
    written = (batch.result or {}).get("written") or {}
    return len(_expand(written.get("created", []))) + len(written.get("updated", []))


def _expand(ranges: list[list[int]]) -> set[int]:
    return {i for first, last in ranges for i in range(first, last + 1)}


def _stamp(prints: dict[int, str]) -> None:
    """Store import fingerprints on children, a thousand per UPDATE. Not a change of the
    child's data: no version, no audit entry."""
    items = list(prints.items())
    for i in range(0, len(items), 1000):
        part = items[i : i + 1000]
        Child.objects.filter(pk__in=[pk for pk, _fp in part]).update(
            import_fingerprint=Case(
                *[When(pk=pk, then=Value(fp)) for pk, fp in part],
                output_field=CharField(),
            )
        )


def _count(report: ImportReport) -> None:
    report.imported = report.updated = report.unchanged = report.rejected = 0
    for r in report.rows:
        if r.errors:
            report.rejected += 1
        elif r.done == "created":
            report.imported += 1
        elif r.match_id:
            if r.fills or r.done == "updated":
                report.updated += 1
            else:
                report.unchanged += 1
        else:
            report.imported += 1


def _is_new(r: RowResult) -> bool:
    return not r.errors and r.match_id is None


def _ranges(ids: list[int]) -> list[list[int]]:
    """[[first, last], ...] runs of consecutive ids: a bulk insert is one or two runs."""
    out: list[list[int]] = []
    for i in sorted(ids):
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def _record_links(actor, rows: list[RowResult], children: dict[int, Child]) -> None:
    """A row matched by the duplicate engine (not by ID number or an identical row) is recorded as
    a linking decision, reviewable like one taken at registration."""
    decisions = [
        DuplicateDecision(
            decision=DuplicateDecision.Decision.LINKED,
            source=DuplicateDecision.Source.IMPORT,
            child=children[r.match_id],
            candidates=[{"child_id": r.match_id, "score": round(r.match_score or 0, 4)}],
            decided_by=actor,
        )
        for r in rows
        if not r.errors and r.match_id and r.match_by == "engine"
    ]
    DuplicateDecision.objects.bulk_create(decisions, batch_size=5000)


def rejects_csv(headers: Sequence[str], rejects: Iterable[RowResult]) -> bytes:
    """The rejected rows as they were, plus a column with the reasons (UTF-8 with BOM, so that
    Excel opens Vietnamese text correctly). Every cell goes through `safe_cell`: a name such as
    =HYPERLINK(...) must not run as a formula when the official opens the file."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([safe_cell(x) for x in [_("Dòng"), *headers, _("Lý do")]])
    for r in rejects:
        w.writerow(
            [r.number, *[safe_cell(_cell_text(c)) for c in r.raw], safe_cell(" | ".join(r.errors))]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- batches: upload, read once, check in the background, commit once ------------------------

_MATCH_LABELS = {
    "id_number": gettext_lazy("cùng số định danh cá nhân"),
    "exact": gettext_lazy("cùng họ tên, ngày sinh, giới tính"),
    "fingerprint": gettext_lazy("đã nhập đúng dòng này trước đây"),
    "engine": gettext_lazy("rất có thể là cùng một trẻ"),
}


def batch_create(*, actor, upload, commune_code: str) -> ImportBatch:
    """Keep an uploaded file for reading in the background. A file over the size or row limits
    is refused here, before anything is parsed (`sheets.precheck`)."""
    name = Path(upload.name).name
    if not name.lower().endswith((".xlsx", ".csv")):
        raise sheets.FileRefused(
            _("Chỉ nhận tệp .xlsx hoặc .csv. Hãy lưu tệp theo một trong hai dạng.")
        )
    sheets.precheck(upload, name=name, size=upload.size)
    batch = ImportBatch(file_name=name[:255], commune_id=commune_code, created_by=actor)
    batch.file.save(f"{os.urandom(8).hex()}-{name}", upload, save=False)
    batch.save()
    return batch


def _progress(batch_id: int):
    def report(n: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress=n, heartbeat_at=timezone.now())

    return report


def batch_read(batch_id: int) -> None:
    """Read the file once into `ImportRow`s, guess the columns, then check the rows."""
    # Only one reader: the status moves uploaded → checking in one conditional UPDATE.
    if not ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.UPLOADED).update(
        status=ImportBatch.Status.CHECKING, progress=0, heartbeat_at=timezone.now()
    ):
        return
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        table = read_sheet(
            batch.file.path, file_name=batch.file_name, on_progress=_progress(batch_id)
        )
    except sheets.FileRefused as exc:
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.FAILED, error=str(exc), finished_at=timezone.now()
        )
        return
    # The rows go in parts, each its own short transaction with a pause after it, as the commit
    # writes them (see run_import). Rows of a file read before (a task run twice) are kept.
    size = settings.IMPORT_PART_ROWS
    pause = settings.IMPORT_PAUSE_PERCENT / 100
    for i in range(0, len(table.rows), size):
        started = time.perf_counter()
        ImportRow.objects.bulk_create(
            [
                ImportRow(batch_id=batch_id, number=n, cells=cells)
                for n, cells in zip(
                    table.numbers[i : i + size], table.rows[i : i + size], strict=True
                )
            ],
            batch_size=size,
            ignore_conflicts=True,
        )
        _between_parts(started, pause)
    with transaction.atomic():
        batch.headers = table.headers
        batch.header_row = table.header_row
        batch.header_depth = table.header_depth
        batch.sheet_name = table.sheet_name[:100]
        batch.total_rows = len(table.rows)
        batch.mapping = guess_mapping(table.headers)
        batch.save(
            update_fields=[
                "headers", "header_row", "header_depth", "sheet_name", "total_rows", "mapping",
            ]
        )  # fmt: skip
    batch_check(batch_id, rows=(table.headers, table.rows, table.numbers))


def batch_rows(batch: ImportBatch) -> tuple[list[str], list[list], list[int]]:
    rows, numbers = [], []
    qs = ImportRow.objects.filter(batch_id=batch.pk).order_by("number")
    for number, cells in qs.values_list("number", "cells").iterator(chunk_size=5000):
        numbers.append(number)
        rows.append(cells)
    return list(batch.headers), rows, numbers


def batch_remap(*, actor, batch: ImportBatch, mapping: dict[str, str]) -> bool:
    """Change the columns' meaning and check the rows again (not once the file is imported)."""
    if not ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.READY).update(
        mapping=mapping,
        status=ImportBatch.Status.CHECKING,
        progress=0,
        heartbeat_at=timezone.now(),
    ):
        return False
    template_remember(
        actor=actor,
        headers=batch.headers,
        mapping=mapping,
        header_row=batch.header_row,
        header_depth=batch.header_depth,
    )
    return True


def batch_check(batch_id: int, *, rows=None, today: dt.date | None = None) -> None:
    """The dry run shown on the preview page: nothing written to the registry."""
    batch = ImportBatch.objects.get(pk=batch_id)
    headers, data, numbers = rows or batch_rows(batch)
    # Before matching: children registered while the check runs are re-checked at commit.
    checked_at = timezone.now()
    report = run_import(
        actor=None,
        headers=headers,
        rows=data,
        numbers=numbers,
        mapping=batch.mapping,
        commune_code=batch.commune_id,
        dry_run=True,
        today=today,
    )
    preview = {
        "imported": report.imported,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "outcome": {},
        "rejects": [{"number": r.number, "errors": r.errors} for r in report.rejects[:200]],
        "matched": [
            {
                "number": r.number,
                "name": r.values.get("full_name", ""),
                "child_id": r.match_id,
                "by": r.match_by,
                "fills": sorted(r.fills),
            }
            for r in report.rows
            if not r.errors and r.match_id
        ][:50],
    }
    for r in report.rows[:20]:
        preview["outcome"][str(r.number)] = (
            "reject" if r.errors else "match" if r.match_id else "new"
        )
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.CHECKING).update(
        preview=preview,
        status=ImportBatch.Status.READY,
        progress=len(data),
        matches=report.matches,
        checked_at=checked_at,
        heartbeat_at=timezone.now(),
    )


def commit_claim(*, actor, batch: ImportBatch) -> bool:
    """ready → queued, once: the first click (or the first of two at once) wins."""
    return bool(
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.READY).update(
            status=ImportBatch.Status.QUEUED, committed_by=actor, heartbeat_at=timezone.now()
        )
    )


class Superseded(Exception):
    """This commit was taken for stopped and the file resumed by another: it writes no more."""


def batch_resume(*, actor, batch: ImportBatch) -> str | None:
    """Go on with a file whose worker stopped (`ImportBatch.stalled`): the work to enqueue again,
    "read", "check" or "commit", or None when the file is not stalled (still moving, finished, or
    resumed a moment ago by another click: one conditional UPDATE, which renews the heartbeat,
    lets only one caller resume it). A commit resumes after the parts already written (their rows
    match by fingerprint); a check runs again on the stored rows; a file not read to its end is
    read again (rows already stored are kept)."""
    stale = Q(heartbeat_at__lt=stall_cutoff()) | Q(
        heartbeat_at__isnull=True, created_at__lt=stall_cutoff()
    )
    mine = ImportBatch.objects.filter(stale, pk=batch.pk)
    now = timezone.now()
    S = ImportBatch.Status
    if mine.filter(status__in=[S.QUEUED, S.COMMITTING]).update(
        status=S.QUEUED, committed_by=actor, heartbeat_at=now, claim=""
    ):
        return "commit"
    # The rows were all stored once the file's layout (`total_rows`) was saved.
    if mine.filter(status=S.CHECKING, total_rows__gt=0).update(heartbeat_at=now, progress=0):
        return "check"
    if mine.filter(status__in=[S.UPLOADED, S.CHECKING]).update(
        status=S.UPLOADED, heartbeat_at=now, progress=0
    ):
        return "read"
    return None


def batch_commit(*, actor, batch_id: int, today: dt.date | None = None) -> dict:
    """Write a checked file into the registry, once.

    Two commits of one batch (two clicks at once, a retry after a time-out, a task run twice)
    import it once: the status moves ready/queued → committing in one conditional UPDATE, which
    only one caller can win (the row is locked by the first UPDATE until it commits, and the
    second then sees the new status). The loser gets the first commit's result, kept on the
    batch. The rows come from the database, not from the file.
    """
    claim = uuid.uuid4().hex
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportBatch.Status.READY, ImportBatch.Status.QUEUED]
    ).update(
        status=ImportBatch.Status.COMMITTING,
        committed_by=actor,
        progress=0,
        heartbeat_at=timezone.now(),
        claim=claim,
    )
    batch = ImportBatch.objects.get(pk=batch_id)
    if not claimed:
        return batch.result
    headers, rows, numbers = batch_rows(batch)
    try:
        run_import(
            actor=actor,
            headers=headers,
            rows=rows,
            numbers=numbers,
            mapping=batch.mapping,
            commune_code=batch.commune_id,
            batch=batch,
            today=today,
            kept=batch.matches,
            since=batch.checked_at,
        )
    except Superseded:
        # Resumed by another commit meanwhile: that one answers; this one wrote no more.
        batch.refresh_from_db()
        return batch.result
    except Exception:
        # The parts written so far stay, and say so on the batch: committing the file again
        # resumes after them (their rows match by fingerprint) and writes nothing twice.
        ImportBatch.objects.filter(pk=batch_id, claim=claim).update(status=ImportBatch.Status.READY)
        raise
    return batch.result


def batch_rejects_csv(batch: ImportBatch) -> bytes:
    """The rejected rows of a checked or imported file, with the reasons, from the database."""
    reasons = (batch.result or {}).get("rejects")
    if reasons is None:
        reasons = {str(r["number"]): r["errors"] for r in (batch.preview or {}).get("rejects", [])}
    rows = [
        RowResult(number=n, raw=cells, errors=reasons[str(n)])
        for n, cells in ImportRow.objects.filter(batch_id=batch.pk)
        .order_by("number")
        .values_list("number", "cells")
        .iterator(chunk_size=5000)
        if str(n) in reasons
    ]
    return rejects_csv(batch.headers, rows)


def match_label(by: str) -> str:
    return str(_MATCH_LABELS.get(by, ""))


TEMPLATE_COLUMNS = [
    ("STT", 6),
    ("Họ và tên", 26),
    ("Ngày sinh", 13),
    ("Giới tính", 9),
    ("Dân tộc", 10),
    ("Số định danh cá nhân", 16),
    ("Thôn, ấp", 14),
    ("Địa chỉ", 28),
    ("Họ tên cha", 24),
    ("Họ tên mẹ", 24),
    ("Người chăm sóc", 24),
    ("Tình trạng đi học", 14),
    ("Trường", 22),
    ("Lớp", 6),
    ("Số thẻ BHYT", 16),
    ("Hộ nghèo, cận nghèo", 14),
]


def template_xlsx() -> bytes:
    """An empty list laid out as communes file it (heading, title, header, signature block),
    whose headers the importer recognises."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    def build(wb):
        ws = wb.active
        ws.title = str(_("Danh sách"))[:31]
        last = get_column_letter(len(TEMPLATE_COLUMNS))
        bold = Font(bold=True)
        centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws["A1"] = _("UBND XÃ, PHƯỜNG …………")
        ws["A1"].font = bold
        ws["J1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        ws["J2"] = "Độc lập - Tự do - Hạnh phúc"
        ws["J1"].font = ws["J2"].font = bold
        ws.merge_cells(f"A4:{last}4")
        ws["A4"] = _("DANH SÁCH TRẺ EM")
        ws["A4"].font = Font(bold=True, size=14)
        ws["A4"].alignment = centre
        for k, (label, width) in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = ws.cell(row=6, column=k, value=label)
            cell.font = bold
            cell.alignment = centre
            ws.column_dimensions[get_column_letter(k)].width = width
        ws.freeze_panes = "A7"
        ws["B40"] = _("Người lập biểu")
        ws["J39"] = _("…, ngày … tháng … năm …")
        ws["J40"] = _("CHỦ TỊCH")

    return sheets.xlsx_bytes(build)
