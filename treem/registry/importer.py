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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.audit.services import audit_record
from treem.lib.dedup import DEFAULT_THRESHOLD, find_pairs
from treem.lib.text import fold, fold_many, nfc
from treem.registry import dedup
from treem.registry.cleaning import (
    CHILD_FIELDS,
    GeoLookup,
    child_clean,
    poverty_clean,
)
from treem.registry.keys import name_keys
from treem.registry.models import (
    Child,
    ChildCarer,
    DuplicateDecision,
    Household,
    ImportBatch,
    ImportTemplate,
    Person,
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


def read_table(path: str | Path, *, file_name: str | None = None) -> tuple[list[str], list[list]]:
    """(headers, rows) of the first sheet of an .xlsx file, or of a CSV (comma, semicolon or tab
    separated, UTF-8 with or without BOM). Cells keep their types (dates stay dates)."""
    name = (file_name or str(path)).lower()
    if name.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            it = ws.iter_rows(values_only=True)
            headers = [nfc(str(h)) if h is not None else "" for h in next(it, ())]
            rows = [list(r) for r in it if any(c not in (None, "") for c in r)]
        finally:
            wb.close()
        return headers, rows
    with open(path, newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(fh, dialect)
        headers = [nfc(h) for h in next(reader, [])]
        rows = [r for r in reader if any(c.strip() for c in r)]
    return headers, rows


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
        name = _BY_HEADER.get(fold(h).strip(" :*"))
        if name and name not in used:
            out[h] = name
            used.add(name)
    return out


def template_remember(*, actor, headers: Sequence[str], mapping: dict[str, str]) -> None:
    ImportTemplate.objects.update_or_create(
        header_key=header_key(headers),
        defaults={"headers": list(headers), "mapping": mapping, "created_by": actor},
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
    match_by: str = ""  # "id_number" or "engine"
    fills: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rows: list[RowResult] = field(default_factory=list)
    created_ids: list[int] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

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
) -> list[RowResult]:
    column_of = {f: h for h, f in mapping.items()}
    pos = {h: i for i, h in enumerate(headers)}
    wanted = [(f, pos[h]) for h, f in mapping.items() if h in pos]
    results: list[RowResult] = []
    for n, row in enumerate(rows, start=2):
        raw: dict[str, Any] = {f: (row[i] if i < len(row) else None) for f, i in wanted}
        if raw.get("commune") in (None, ""):
            raw["commune"] = commune_code
        r = RowResult(number=n, raw=list(row))
        values, errors = child_clean(raw, geo=geo, today=today)
        if not errors and values["commune"].code != commune_code:
            errors["commune"] = [
                _("Dòng này thuộc xã, phường khác với xã đang nhập. Hãy nhập ở xã của trẻ.")
            ]
        pov_errors: dict = {}
        r.poverty = poverty_clean(raw.get("poverty_status"), pov_errors)
        errors.update(pov_errors)
        for fname, messages in errors.items():
            column = column_of.get(fname) or IMPORT_FIELDS.get(fname, fname)
            r.errors.extend(_cell_error(n, column, m) for m in messages)
        r.values = values
        for key, rel in (("mother_name", "mother"), ("father_name", "father")):
            name = nfc(str(raw.get(key) or ""))
            if name:
                r.carers.append({"full_name": name, "relationship": rel})
        carer = nfc(str(raw.get("carer_name") or ""))
        if carer:
            r.carers.append({"full_name": carer, "relationship": "guardian"})
        r.source_ref = nfc(str(raw.get("source_ref") or ""))[:40]
        results.append(r)
    return results


def match_rows(results: list[RowResult], *, commune_code: str, province_code: str) -> None:
    """Link valid rows to children already in the registry; reject repeats within the file.

    First by personal ID number (anywhere in the province), then by the duplicate engine against
    the commune's children, at the engine's default threshold.
    """
    valid = [r for r in results if not r.errors]
    ids = [r.values["id_number"] for r in valid if r.values["id_number"]]
    by_id: dict[str, int] = {}
    live = dedup.live_children()
    for i in range(0, len(ids), 5000):
        by_id.update(
            Child.objects.filter(live, id_number__in=ids[i : i + 5000]).values_list(
                "id_number", "pk"
            )
        )
    for r in valid:
        hit = by_id.get(r.values["id_number"]) if r.values["id_number"] else None
        if hit:
            r.match_id, r.match_score, r.match_by = hit, 1.0, "id_number"

    existing = list(dedup.child_records(Child.objects.filter(live, commune_id=commune_code)))
    new_records = []
    from treem.registry.services import record_for

    for k, r in enumerate(valid):
        rec = record_for(r.values, r.carers)
        rec["record_id"] = f"r{k}"
        new_records.append(rec)
    # Repeats within the file are found among the file's rows alone, so that importing the same
    # file again rejects exactly the same rows whatever the registry holds by then.
    same_file: dict[int, int] = {}
    for a, b, _score in find_pairs(new_records, threshold=DEFAULT_THRESHOLD):
        x, y = sorted((int(a[1:]), int(b[1:])))
        if y not in same_file or x < same_file[y]:
            same_file[y] = x
    # An identical row (same folded name, birth date and sex) is the same child: matched
    # directly, so re-importing a file never depends on the engine's blocking caps.
    exact: dict[tuple, int | None] = {}
    for rec, key in zip(existing, fold_many([e["full_name"] for e in existing]), strict=True):
        k = (key, rec["birth_date"], rec["sex"])
        exact[k] = None if k in exact else int(rec["record_id"])
    for rec, key, r in zip(
        new_records, fold_many([n["full_name"] for n in new_records]), valid, strict=True
    ):
        hit = exact.get((key, rec["birth_date"], rec["sex"]))
        if r.match_id is None and hit:
            r.match_id, r.match_score, r.match_by = hit, 1.0, "exact"
    best: dict[int, tuple[float, int]] = {}
    if existing:
        for a, b, score in find_pairs([*existing, *new_records], threshold=DEFAULT_THRESHOLD):
            ra, rb = a.startswith("r"), b.startswith("r")
            if ra == rb:
                continue
            k, cid = (int(a[1:]), int(b)) if ra else (int(b[1:]), int(a))
            if k not in best or score > best[k][0]:
                best[k] = (score, cid)
    claimed: dict[int, int] = {}
    for k, r in enumerate(valid):
        if k in same_file:
            r.errors.append(
                _(
                    "Dòng %(row)s: nhiều khả năng là cùng một trẻ với dòng %(other)s của tệp. Hãy "
                    "gộp hai dòng thành một rồi nhập lại dòng này."
                )
                % {"row": r.number, "other": valid[same_file[k]].number}
            )
            continue
        if r.match_id is None and k in best:
            r.match_score, r.match_id = best[k]
            r.match_by = "engine"
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
) -> ImportReport:
    import time

    t0 = time.perf_counter()
    today = today or timezone.localdate()
    geo = GeoLookup.load(None)
    commune = geo.commune(commune_code)
    if commune is None:
        raise ValueError(_("Không có xã, phường mã %(code)s.") % {"code": commune_code})
    report = ImportReport()
    report.rows = validate_rows(
        headers, rows, mapping=mapping, commune_code=commune.code, geo=geo, today=today
    )
    t1 = time.perf_counter()
    match_rows(report.rows, commune_code=commune.code, province_code=commune.province_id)
    t2 = time.perf_counter()
    matched = {r.match_id for r in report.rows if not r.errors and r.match_id}
    children = Child.objects.in_bulk(list(matched)) if matched else {}
    for r in report.rows:
        if r.errors:
            report.rejected += 1
        elif r.match_id:
            r.fills = _fills(children[r.match_id], r.values)
            if r.fills:
                report.updated += 1
            else:
                report.unchanged += 1
        else:
            report.imported += 1
    if dry_run:
        report.seconds = {"validate": t1 - t0, "match": t2 - t1}
        return report
    if batch is None:
        batch = ImportBatch.objects.create(
            file_name=file_name[:255], commune=commune, mapping=mapping, created_by=actor
        )
    with transaction.atomic():
        report.created_ids = _write_new(actor, batch, [r for r in report.rows if _is_new(r)])
        _write_updates(actor, batch, report.rows, children)
        batch.imported, batch.updated = report.imported, report.updated
        batch.unchanged, batch.rejected = report.unchanged, report.rejected
        batch.status = ImportBatch.Status.DONE
        batch.finished_at = timezone.now()
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
                "created_ids": _ranges(report.created_ids),
                "updated_ids": sorted(r.match_id for r in report.rows if r.fills),
            },
        )
    report.seconds = {"validate": t1 - t0, "match": t2 - t1, "write": time.perf_counter() - t2}
    return report


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


def _insert(model, fields: list[str], rows: list[tuple], *, returning: bool = True) -> list[int]:
    """Insert rows in multi-row INSERT statements, returning the new ids in row order.

    Django's bulk_create builds a model instance and compiles every value of every row; at
    100,000 children plus their households and carers that alone takes over a minute. The values
    here are already clean, so they go straight into parameterised SQL (the same RETURNING-order
    guarantee bulk_create relies on, on SQLite and PostgreSQL).
    """
    from django.db import connection

    if not rows:
        return []
    meta = model._meta
    cols = [meta.get_field(f) for f in fields]

    def converter(f):
        memo: dict = {}

        def convert(v):
            # Dates repeat a lot (one `now`, a few thousand birthdays): convert each once.
            out = memo.get(v, memo)
            if out is memo:
                out = memo[v] = f.get_db_prep_save(v, connection)
            return out

        return convert

    prep = [
        converter(f) if f.get_internal_type() in ("DateField", "DateTimeField") else None
        for f in cols
    ]
    names = ", ".join(connection.ops.quote_name(f.column) for f in cols)
    table = connection.ops.quote_name(meta.db_table)
    per = max(1, min(500, 30000 // len(fields)))
    ids: list[int] = []
    with connection.cursor() as cur:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            params: list = []
            for r in chunk:
                params.extend(v if p is None else p(v) for v, p in zip(r, prep, strict=True))
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            values = ", ".join([one] * len(chunk))
            # Table and column names come from the model, values are parameters.
            sql = f"INSERT INTO {table} ({names}) VALUES {values}"  # noqa: S608
            if returning:
                pk = connection.ops.quote_name(meta.pk.column)
                cur.execute(f"{sql} RETURNING {pk}", params)
                ids.extend(row[0] for row in cur.fetchall())
            else:
                cur.execute(sql, params)
    return ids


_CHILD_COLUMNS = [
    "full_name", "name_key", "name_key_given_first", "other_names", "birth_date",
    "birth_date_precision", "birth_date_latest", "sex", "ethnicity", "nationality", "id_number",
    "birth_registration", "province", "commune", "village", "address", "current_commune",
    "current_address", "school_status", "school_name", "grade", "health_insurance_number",
    "disability_type", "disability_severity", "nutrition_status", "household", "legal_basis",
    "processing_restricted", "is_active", "source_ref", "created_at", "updated_at", "created_by",
    "version",
]  # fmt: skip


def _write_new(actor, batch: ImportBatch, rows: list[RowResult]) -> list[int]:
    if not rows:
        return []
    now = timezone.now()
    # Brothers and sisters on separate lines share one household and one set of parents.
    households: dict[tuple, int] = {}
    household_rows: list[tuple] = []
    row_household: list[int] = []
    for r in rows:
        v = r.values
        key = (
            v["commune"].code,
            v["village"].pk if v["village"] else None,
            fold(v["address"]),
            tuple(sorted(fold(c["full_name"]) + c["relationship"] for c in r.carers)),
        )
        if not key[2] and not key[3]:
            key = ("row", r.number)
        k = households.get(key)
        if k is None:
            k = households[key] = len(household_rows)
            household_rows.append(
                (
                    v["commune"].code,
                    v["village"].pk if v["village"] else None,
                    v["address"],
                    r.poverty or "unknown",
                    now,
                    now,
                    1,
                )
            )
        row_household.append(k)
    hh_ids = _insert(
        Household,
        ["commune", "village", "address", "poverty_status", "created_at", "updated_at", "version"],
        household_rows,
    )
    user_id = getattr(actor, "pk", None)
    child_rows = []
    for r, k in zip(rows, row_household, strict=True):
        v = r.values
        key, given_first = name_keys(v["full_name"])
        ref = r.source_ref or f"row{r.number}"
        child_rows.append(
            (
                v["full_name"], key, given_first, v["other_names"], v["birth_date"],
                v["birth_date_precision"], v["birth_date_latest"], v["sex"], v["ethnicity"],
                v["nationality"], v["id_number"], v["birth_registration"],
                v["commune"].province_id, v["commune"].code,
                v["village"].pk if v["village"] else None, v["address"],
                v["current_commune"].code if v["current_commune"] else None,
                v["current_address"], v["school_status"], v["school_name"], v["grade"],
                v["health_insurance_number"], v["disability_type"], v["disability_severity"],
                v["nutrition_status"], hh_ids[k], v["legal_basis"], False, True,
                f"import:{batch.pk}:{ref}"[:80], now, now, user_id, 1,
            )
        )  # fmt: skip
    child_ids = _insert(Child, _CHILD_COLUMNS, child_rows)
    persons: dict[tuple, int] = {}
    person_rows: list[tuple] = []
    links: list[tuple] = []
    for r, k, cid in zip(rows, row_household, child_ids, strict=True):
        for carer in r.carers:
            key = (k, fold(carer["full_name"]), carer["relationship"])
            p = persons.get(key)
            if p is None:
                p = persons[key] = len(person_rows)
                person_rows.append(
                    (
                        carer["full_name"],
                        name_keys(carer["full_name"])[0],
                        {"mother": "F", "father": "M"}.get(carer["relationship"], ""),
                        "",
                        "",
                        hh_ids[k],
                        False,
                        now,
                    )
                )
            links.append((cid, p, carer["relationship"], person_rows[p][1]))
    person_ids = _insert(
        Person,
        ["full_name", "name_key", "sex", "id_number", "phone", "household", "is_deceased",
         "created_at"],
        person_rows,
    )  # fmt: skip
    seen: set[tuple[int, int]] = set()
    link_rows = []
    for cid, p, rel, carer_key in links:
        if (cid, person_ids[p]) not in seen:
            seen.add((cid, person_ids[p]))
            link_rows.append((cid, person_ids[p], rel, False, True, carer_key))
    _insert(
        ChildCarer,
        [
            "child",
            "person",
            "relationship",
            "is_primary_carer",
            "lives_with_child",
            "carer_name_key",
        ],
        link_rows,
        returning=False,
    )
    return child_ids


def _write_updates(actor, batch, rows: list[RowResult], children: dict[int, Child]) -> None:
    decisions = []
    to_update: dict[tuple, list[Child]] = {}
    now = timezone.now()
    for r in rows:
        if r.errors or not r.match_id:
            continue
        child = children[r.match_id]
        if r.match_by == "engine":
            decisions.append(
                DuplicateDecision(
                    decision=DuplicateDecision.Decision.LINKED,
                    source=DuplicateDecision.Source.IMPORT,
                    child=child,
                    candidates=[{"child_id": child.pk, "score": round(r.match_score or 0, 4)}],
                    decided_by=actor,
                )
            )
        if r.fills:
            for f, value in r.fills.items():
                setattr(child, f, value)
            child.updated_at = now
            to_update.setdefault(tuple(sorted(r.fills)), []).append(child)
    for fields, objs in to_update.items():
        Child.objects.bulk_update(objs, [*fields, "updated_at"], batch_size=2000)
    DuplicateDecision.objects.bulk_create(decisions, batch_size=5000)


def rejects_csv(headers: Sequence[str], rejects: Iterable[RowResult]) -> bytes:
    """The rejected rows as they were, plus a column with the reasons (UTF-8 with BOM, so that
    Excel opens Vietnamese text correctly)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([_("Dòng"), *headers, _("Lý do")])
    for r in rejects:
        w.writerow([r.number, *[_cell_text(c) for c in r.raw], " | ".join(r.errors)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
