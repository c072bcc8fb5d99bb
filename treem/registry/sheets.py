"""Reading the lists communes keep, laid out as officials lay them out.

A ward list is not a table starting at A1. Above the table sits the administrative heading (the
unit's name on the left, the national motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do -
Hạnh phúc" on the right), a blank row and a merged title ("DANH SÁCH TRẺ EM …"); the header may
span two rows (a merged group such as "Họ tên cha, mẹ" over "Cha" and "Mẹ"), often followed by a
row numbering the columns "(1) (2) (3)"; below the data come a total line and the signature block
("Người lập biểu", "CHỦ TỊCH", "…, ngày … tháng … năm …").

So: the header is the first row whose cells name known fields; everything above it is skipped; a
second header row is merged into the first; a numbering row is skipped; the data ends at the
first row of the signature block. Cells keep what the official typed: a date cell is written the
way Excel showed it (a cell formatted as a year shows the year), a whole number has no ".0".

Limits (issue: a 300 KB file holding 1,000,000 rows took minutes and 2 GB): `precheck` counts the
rows of a file without parsing it (a CSV's line breaks; the `<row` tags of the first worksheet,
decompressed in chunks) so an oversized file is refused at upload, in well under a second; the
reader stops as soon as a file turns out larger than the limit anyway.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from treem.lib.text import fold, nfc

# How far down the header may be: the title block of real lists takes 5 to 10 rows.
HEADER_SEARCH_ROWS = 40
# Blank and heading rows allowed on top of the data rows before a file counts as too long.
ROW_SLACK = 1000

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ROWS = 200_000


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


class FileRefused(ValueError):
    """A file that is not read at all (too large, too many rows, not a spreadsheet)."""


def _too_many_rows(limit: int) -> FileRefused:
    return FileRefused(
        _(
            "Tệp có hơn %(limit)s dòng, quá giới hạn cho một lần nhập. Hãy chia danh sách thành "
            "nhiều tệp nhỏ hơn (mỗi tệp một xã hoặc một thôn) rồi nhập lần lượt."
        )
        % {"limit": f"{limit:,}".replace(",", ".")}
    )


def _too_large(limit: int) -> FileRefused:
    return FileRefused(
        _(
            "Tệp lớn hơn %(mb)s MB, quá giới hạn cho một lần nhập. Hãy chia danh sách thành nhiều "
            "tệp nhỏ hơn rồi nhập lần lượt."
        )
        % {"mb": limit // (1024 * 1024)}
    )


def _unreadable() -> FileRefused:
    return FileRefused(_("Không đọc được tệp. Hãy kiểm tra tệp có mở được bằng Excel."))


def is_xlsx(name: str) -> bool:
    return name.lower().endswith((".xlsx", ".xlsm"))


def precheck(fh, *, name: str, size: int) -> None:
    """Refuse a file that is too large or has too many rows, without parsing it."""
    if size > max_bytes():
        raise _too_large(max_bytes())
    limit = max_rows() + ROW_SLACK
    fh.seek(0)
    if is_xlsx(name):
        try:
            with zipfile.ZipFile(fh) as zf:
                sheet = _first_sheet_member(zf)
                with zf.open(sheet) as xml:
                    rows = 0
                    tail = b""
                    while chunk := xml.read(1 << 20):
                        data = tail + chunk
                        rows += data.count(b"<row ") + data.count(b"<row>")
                        # A tag cut between two chunks is counted in the next one.
                        tail = data[-5:]
                        rows -= tail.count(b"<row ") + tail.count(b"<row>")
                        if rows > limit:
                            raise _too_many_rows(max_rows())
        except (zipfile.BadZipFile, KeyError, OSError) as exc:
            raise _unreadable() from exc
    else:
        lines = 0
        while chunk := fh.read(1 << 20):
            lines += chunk.count(b"\n")
            if lines > limit:
                raise _too_many_rows(max_rows())
    fh.seek(0)


def _first_sheet_member(zf: zipfile.ZipFile) -> str:
    names = zf.namelist()
    sheets = sorted(
        (n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
        key=lambda n: int(re.findall(r"\d+", n)[-1]),
    )
    if not sheets:
        raise KeyError("no worksheet")
    return sheets[0]


# --- cells as typed -------------------------------------------------------------------------


def _date_kind(number_format: str | None) -> str:
    """'year', 'month' or 'day': how much of a date cell the official chose to show."""
    f = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", (number_format or "").lower())
    if "d" in f:
        return "day"
    if "m" in f and "y" in f:
        return "month"
    if "y" in f:
        return "year"
    return "day"


def cell_text(value, kind: str = "day"):
    """A cell as the official typed it: JSON-safe (text or a number), dates written out."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            return value.strftime("%d/%m/%Y %H:%M")
        value = value.date()
    if isinstance(value, dt.date):
        if kind == "year":
            return str(value.year)
        if kind == "month":
            return value.strftime("%m/%Y")
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    return nfc(str(value)).strip()


def display(value) -> str:
    """A stored cell for a page: never "None", never "00:00:00"."""
    if value is None:
        return ""
    return str(value)


# --- layout ---------------------------------------------------------------------------------

_NUMBERING = re.compile(r"\(?[0-9]{1,2}\)?|\(?[a-zđ]\)?")
_FOOTER = re.compile(
    r"nguoi lap (bieu|bang|danh sach)|chu tich|pho chu tich|ky,? ghi ro ho ten|\bky ten\b|"
    r"xac nhan cua|thu truong|can bo (lap|tong hop)|ngay\s*\S{0,12}\s*thang\s*\S{0,12}\s*nam"
)
_TOTAL = re.compile(r"^(tong cong|tong so|cong)\b")


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    numbers: list[int]  # sheet row number of each data row
    header_row: int = 1  # 1-based
    header_depth: int = 1
    sheet_name: str = ""
    skipped_top: int = 0
    skipped_bottom: int = 0
    notes: list[str] = field(default_factory=list)


def _blank(row: Sequence) -> bool:
    return all(c in (None, "") for c in row)


def _is_footer(row: Sequence) -> bool:
    for c in row:
        if isinstance(c, str) and c:
            f = fold(c)
            if _FOOTER.search(f):
                return True
    return False


def _is_total(row: Sequence) -> bool:
    first = next((c for c in row if c not in (None, "")), None)
    return isinstance(first, str) and bool(_TOTAL.match(fold(first)))


def _is_numbering(row: Sequence) -> bool:
    cells = [c for c in row if c not in (None, "")]
    return len(cells) >= 3 and all(_NUMBERING.fullmatch(fold(str(c))) for c in cells)


def combine_header(top: Sequence, bottom: Sequence | None, width: int) -> list[str]:
    """One header per column from one or two header rows.

    A horizontally merged cell keeps its text in its first column only: the group name is carried
    right over the columns whose second row has text. A vertically merged cell ("STT", "Họ và
    tên" over two rows) has nothing below it and keeps its own text.
    """
    top = [display(c).strip() for c in top] + [""] * (width - len(top))
    if bottom is None:
        return [nfc(h) for h in top[:width]]
    bottom = [display(c).strip() for c in bottom] + [""] * (width - len(bottom))
    out: list[str] = []
    group = ""
    for i in range(width):
        t, b = top[i], bottom[i]
        if t:
            group = t
        elif not b:
            group = ""
        if b and (t or group):
            out.append(nfc(f"{t or group} - {b}"))
        else:
            out.append(nfc(t or b))
    return out


def find_header(
    rows: Sequence[Sequence], field_for: Callable[[str], str | None]
) -> tuple[int, int] | None:
    """(index, depth) of the header among the first rows: the first row naming at least two
    known fields, one of them the child's name or birth date; depth 2 when the row below
    continues it (text under a merged group cell)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {field_for(display(c)) for c in row if isinstance(c, str) and c}
        fields.discard(None)
        if len(fields) < 2 or not fields & {"full_name", "birth_date"}:
            continue
        depth = 1
        if i + 1 < len(rows):
            below = rows[i + 1]
            under_group = any(
                b not in (None, "") and (k >= len(row) or row[k] in (None, ""))
                for k, b in enumerate(below)
            )
            texts = [b for b in below if b not in (None, "")]
            if under_group and texts and all(isinstance(b, str) for b in texts):
                depth = 2
        return i, depth
    return None


def layout(
    top_rows: list[list],
    *,
    field_for: Callable[[str], str | None],
    remembered: Sequence[tuple[int, int]] = (),
    known_key: Callable[[list[str]], bool] = lambda h: False,
) -> tuple[int, int]:
    """(header index, depth): a remembered layout whose headers are known wins, else found."""
    for row, depth in remembered:
        i = row - 1
        if i + depth <= len(top_rows):
            width = max(len(r) for r in top_rows[i : i + depth])
            headers = combine_header(top_rows[i], top_rows[i + 1] if depth == 2 else None, width)
            if known_key(headers):
                return i, depth
    found = find_header(top_rows, field_for)
    return found if found is not None else (0, 1)


def _xlsx_rows(path) -> tuple[str, Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    # How each column shows its dates, learnt from its first cells (reading every cell with its
    # style would double the reading time of a large file).
    # The first rows (a ward list of a village, the usual size) are read cell by cell.
    kinds: dict[int, str] = {}
    cell_kinds: dict[tuple[int, int], str] = {}
    first = HEADER_SEARCH_ROWS + 200
    for n, row in enumerate(ws.iter_rows(min_row=1, max_row=first), start=1):
        for k, c in enumerate(row):
            if getattr(c, "is_date", False):
                cell_kinds[n, k] = _date_kind(c.number_format)
                kinds.setdefault(k, cell_kinds[n, k])

    def gen():
        try:
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if n <= first:
                    out = [
                        cell_text(v, cell_kinds.get((n, k), "day")) for k, v in enumerate(values)
                    ]
                else:
                    out = [cell_text(v, kinds.get(k, "day")) for k, v in enumerate(values)]
                yield n, out
        finally:
            wb.close()

    return ws.title, gen()


def _csv_rows(path) -> Iterator[tuple[int, list]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        sample = fh.read(8192)
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        for n, row in enumerate(csv.reader(fh, dialect), start=1):
            yield n, [nfc(c).strip() for c in row]


def read(
    path: str | Path,
    *,
    file_name: str | None = None,
    field_for: Callable[[str], str | None],
    remembered: Sequence[tuple[int, int]] = (),
    known_key: Callable[[list[str]], bool] = lambda h: False,
    on_progress: Callable[[int], None] | None = None,
) -> Table:
    """Read the first sheet of an .xlsx file or a CSV (comma, semicolon or tab separated, UTF-8
    with or without BOM), skipping the title and signature blocks."""
    name = file_name or str(path)
    try:
        if is_xlsx(name):
            sheet, it = _xlsx_rows(path)
        else:
            sheet, it = "", _csv_rows(path)
        top: list[tuple[int, list]] = []
        for item in it:
            top.append(item)
            if len(top) >= HEADER_SEARCH_ROWS + 2:
                break
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("Tệp CSV không ở dạng UTF-8. Hãy lưu lại bằng Excel với kiểu “CSV UTF-8”.")
        ) from exc
    except Exception as exc:
        raise _unreadable() from exc
    index, depth = layout(
        [r for _n, r in top], field_for=field_for, remembered=remembered, known_key=known_key
    )
    head = [r for _n, r in top[index : index + depth]]
    width = max((len(r) for r in head), default=0)
    headers = combine_header(head[0] if head else [], head[1] if depth == 2 else None, width)
    # Columns with no header and no data are dropped at the end; unnamed columns get a letter.
    headers = [h or _("Cột %(n)s") % {"n": k + 1} for k, h in enumerate(headers)]
    table = Table(
        headers=headers,
        rows=[],
        numbers=[],
        header_row=top[index][0] if top else 1,
        header_depth=depth,
        sheet_name=sheet,
        skipped_top=index,
    )
    limit = max_rows()
    seen = 0

    def rest():
        yield from top[index + depth :]
        yield from it

    first = True
    ended = False
    for n, row in rest():
        seen += 1
        if seen > limit + ROW_SLACK:
            raise _too_many_rows(limit)
        if ended:
            if not _blank(row):
                table.skipped_bottom += 1
            continue
        if _blank(row):
            continue
        if first and _is_numbering(row):
            first = False
            continue
        first = False
        if _is_footer(row) or _is_total(row):
            ended = True
            table.skipped_bottom += 1
            continue
        table.rows.append(row)
        table.numbers.append(n)
        if len(table.rows) > limit:
            raise _too_many_rows(limit)
        if on_progress and len(table.rows) % 5000 == 0:
            on_progress(len(table.rows))
    return table


def xlsx_bytes(build: Callable) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
