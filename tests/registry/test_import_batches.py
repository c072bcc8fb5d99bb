"""Imports as officials make them: ward lists with a title block, merged and two-row headers and a
signature block; the file read once into rows; limits; a commit that runs once; no formulas in
the files given back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from treem.audit.models import AuditEvent
from treem.registry import importer, sheets
from treem.registry.models import Child, ImportBatch, ImportRow

from .conftest import TODAY

FORMULA = '=HYPERLINK("http://x","y")'


# The children of the ward list: a full date, a typed date, a year, a date that does not exist.
WARD_ROWS = [
    [1, "Nguyễn Văn An", dt.datetime(2018, 3, 5), "Nam", "Tổ 1, khu phố 2", "Nguyễn Văn Tùng",
     "Trần Thị Hoa", ""],
    [2, "Lê Thị Bích", "12/08/2016", "Nữ", "Tổ 3", "", "Phạm Thị Lan", "mồ côi cha"],
    [3, "Trần Minh Khoa", dt.datetime(2019, 1, 1), "Nam", "Tổ 4", "Trần Văn Bảo", "", ""],
    [4, "Phạm Thị Mai", 2015, "Nữ", "Tổ 5", "", "", ""],
    [5, "Đỗ Văn Hùng", dt.datetime(2012, 11, 30), "Nam", "Tổ 6", "Đỗ Văn Dũng",
     "Vũ Thị Hạnh", ""],
    [6, "Võ Văn Sai", "31/02/2018", "Nam", "Tổ 7", "", "", ""],
]  # fmt: skip


def ward_list(rows=None) -> bytes:
    """A list as a commune keeps it: unit name left, motto right, blank row, merged title, a
    two-row header with merged cells, a numbering row, data, a total line, the signature block."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DS tre em"
    bold = Font(bold=True)
    ws.merge_cells("A1:C1")
    ws["A1"] = "UBND PHƯỜNG TRẤN BIÊN"
    ws.merge_cells("A2:C2")
    ws["A2"] = "BAN BẢO VỆ, CHĂM SÓC TRẺ EM"
    ws.merge_cells("F1:I1")
    ws["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws.merge_cells("F2:I2")
    ws["F2"] = "Độc lập - Tự do - Hạnh phúc"
    ws["F3"] = "Trấn Biên, ngày 02 tháng 5 năm 2026"
    ws.merge_cells("A5:I5")
    ws["A5"] = "DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT NĂM 2026"
    ws["A5"].alignment = Alignment(horizontal="center")
    for col, text in zip("ABCDEH", ["STT", "Họ và tên", "Ngày, tháng, năm sinh", "Giới tính",
                                     "Địa chỉ", "Ghi chú"], strict=True):  # fmt: skip
        ws[f"{col}7"] = text
        ws[f"{col}7"].font = bold
        ws.merge_cells(f"{col}7:{col}8")
    ws.merge_cells("F7:G7")
    ws["F7"] = "Họ tên cha, mẹ"
    ws["F8"] = "Cha"
    ws["G8"] = "Mẹ"
    for k in range(8):
        ws.cell(row=9, column=k + 1, value=f"({k + 1})")
    data = rows or WARD_ROWS
    first = 10
    for i, row in enumerate(data):
        for k, v in enumerate(row):
            ws.cell(row=first + i, column=k + 1, value=v)
    ws.cell(row=first + 2, column=3).number_format = "yyyy"  # a year-only birth date
    ws.cell(row=first, column=3).number_format = "dd/mm/yyyy"
    end = first + len(data)
    ws.cell(row=end + 1, column=1, value="Tổng cộng: 6 trẻ")
    ws.cell(row=end + 3, column=2, value="Người lập biểu")
    ws.cell(row=end + 3, column=6, value="Trấn Biên, ngày 10 tháng 5 năm 2026")
    ws.cell(row=end + 4, column=6, value="CHỦ TỊCH")
    ws.cell(row=end + 5, column=2, value="(Ký, ghi rõ họ tên)")
    ws.cell(row=end + 8, column=2, value="Lê Thị Thu")
    ws.cell(row=end + 8, column=6, value="Nguyễn Văn Chủ")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, demo, body: bytes, name="danh-sach.xlsx"):
    f = SimpleUploadedFile(name, body, "application/octet-stream")
    return client.post("/app/registry/import/", {"file": f, "commune": demo.commune_a.code})


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_ward_list_layout_is_found(db, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(ward_list())
    table = importer.read_sheet(path)
    assert (table.header_row, table.header_depth) == (7, 2)
    mapping = importer.guess_mapping(table.headers)
    assert sorted(mapping.values()) == sorted(
        ["full_name", "birth_date", "sex", "address", "father_name", "mother_name"]
    )
    # Numbering row, total line and signature block skipped: six data rows, numbered as in Excel.
    assert table.numbers == [10, 11, 12, 13, 14, 15]
    # Cells as typed: a date cell shown as a year is the year, no time, no "None".
    assert [r[2] for r in table.rows] == [
        "05/03/2018", "12/08/2016", "2019", 2015, "30/11/2012", "31/02/2018",
    ]  # fmt: skip
    assert all(c is not None for r in table.rows for c in r)


def test_ward_list_imports_with_the_right_counts_and_again_adds_nothing(
    officer_a_client, demo, media
):
    r = upload(officer_a_client, demo, ward_list())
    assert r.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.READY
    assert ImportRow.objects.filter(batch=batch).count() == 6
    page = officer_a_client.get(r["Location"]).content.decode()
    # Preview: the file's own headers and dates as entered.
    assert "Họ tên cha, mẹ - Mẹ" in page and "05/03/2018" in page and ">2019<" in page
    assert "00:00:00" not in page and "None" not in page
    officer_a_client.post(f"/app/registry/import/{batch.pk}/commit/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.imported, batch.updated, batch.rejected) == (5, 0, 1)
    assert Child.objects.filter(commune=demo.commune_a).count() == 5
    khoa = Child.objects.get(name_key="tran minh khoa")
    assert khoa.birth_date_precision == "year" and khoa.birth_date.year == 2019
    an = Child.objects.get(name_key="nguyen van an")
    assert {c.person.full_name for c in an.carers.all()} == {"Nguyễn Văn Tùng", "Trần Thị Hoa"}
    # The result page stays, with the rejected row downloadable.
    page = officer_a_client.get(f"/app/registry/import/{batch.pk}/").content.decode()
    assert "Đã thêm 5 trẻ mới" in page
    rejects = officer_a_client.get(f"/app/registry/import/{batch.pk}/rejects.csv")
    text = rejects.content.decode("utf-8-sig")
    assert "Võ Văn Sai" in text and "Dòng 15" in text

    upload(officer_a_client, demo, ward_list())
    again = ImportBatch.objects.exclude(pk=batch.pk).get()
    officer_a_client.post(f"/app/registry/import/{again.pk}/commit/")
    again.refresh_from_db()
    assert (again.imported, again.unchanged, again.rejected) == (0, 5, 1)
    assert Child.objects.filter(commune=demo.commune_a).count() == 5


def test_import_writes_through_the_service_version_and_audit_per_child(demo):
    headers = ["Họ và tên", "Ngày sinh", "Giới tính", "Địa chỉ"]
    rows = [["Nguyễn Văn An", "05/03/2018", "Nam", "Số 1"], ["Lê Thị Bích", "2016", "Nữ", ""]]
    report = importer.run_import(
        actor=demo.users["canbo.a"], headers=headers, rows=rows,
        mapping=importer.guess_mapping(headers), commune_code=demo.commune_a.code, today=TODAY,
    )  # fmt: skip
    assert report.imported == 2
    for cid in report.created_ids:
        child = Child.objects.get(pk=cid)
        assert child.version == 1
        events = AuditEvent.objects.filter(object_type="registry.child", object_id=str(cid))
        assert [e.action for e in events] == ["create"]
        assert events[0].details["source"] == "import" and events[0].actor_username == "canbo.a"
    # A later list filling an empty field bumps the version and writes an update entry.
    headers2 = [*headers, "Trường"]
    report2 = importer.run_import(
        actor=demo.users["canbo.a"], headers=headers2, rows=[[*rows[0], "Tiểu học Trấn Biên"]],
        mapping=importer.guess_mapping(headers2), commune_code=demo.commune_a.code, today=TODAY,
    )  # fmt: skip
    assert report2.updated == 1
    an = Child.objects.get(name_key="nguyen van an")
    assert an.version == 2 and an.school_name == "Tiểu học Trấn Biên"
    update = AuditEvent.objects.get(object_id=str(an.pk), action="update")
    assert update.changes == {"school_name": ["", "Tiểu học Trấn Biên"]}
    from treem.audit.services import audit_verify

    assert audit_verify()[1] == []


def test_commit_twice_imports_once_and_the_second_answers_with_the_first_result(
    officer_a_client, demo, media
):
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    first = importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk)
    count = Child.objects.count()
    second = importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk)
    assert first["imported"] == 5 and second == first
    assert Child.objects.count() == count == 5
    # Through the page: a second click (or a retry) creates nothing and shows the result.
    r = officer_a_client.post(f"/app/registry/import/{batch.pk}/commit/")
    assert r.status_code == 302 and Child.objects.count() == 5
    assert "Đã thêm 5 trẻ mới" in officer_a_client.get(r["Location"]).content.decode()


def test_commit_claim_is_won_once(officer_a_client, demo, media):
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    user = demo.users["canbo.a"]
    assert importer.commit_claim(actor=user, batch=batch) is True
    assert importer.commit_claim(actor=user, batch=batch) is False


def test_commit_claim_in_progress_is_not_run_again(officer_a_client, demo, media):
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.COMMITTING)
    officer_a_client.post(f"/app/registry/import/{batch.pk}/commit/")
    assert importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk) == {}
    assert not Child.objects.exists()
    # While it runs the page polls for progress (htmx) instead of offering the button again.
    page = officer_a_client.get(f"/app/registry/import/{batch.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and "Nhập các dòng hợp lệ" not in page


def test_progress_poll_refreshes_the_page_when_done(officer_a_client, demo, media):
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    r = officer_a_client.get(f"/app/registry/import/{batch.pk}/?progress=1", HTTP_HX_REQUEST="true")
    assert r["HX-Refresh"] == "true"


def _million_row_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        body = "<row><c><v>1</v></c></row>" * 1_000_000
        zf.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{body}</sheetData></worksheet>",
        )
    return buf.getvalue()


def test_a_million_row_file_is_refused_at_upload_without_being_read(officer_a_client, demo, media):
    body = _million_row_xlsx()
    assert len(body) < 300_000
    r = upload(officer_a_client, demo, body)
    assert r.status_code == 200
    assert "quá giới hạn cho một lần nhập" in r.content.decode()
    assert not ImportBatch.objects.exists()
    r = upload(officer_a_client, demo, b"a\n" * 1_000_000, name="ds.csv")
    assert "quá giới hạn" in r.content.decode()
    # In English too.
    from django.utils import translation

    with translation.override("en"), pytest.raises(sheets.FileRefused, match="more than"):
        sheets.precheck(io.BytesIO(b"a\n" * 1_000_000), name="x.csv", size=2_000_000)


def test_size_and_row_limits_come_from_settings(officer_a_client, demo, media, settings):
    settings.IMPORT_MAX_ROWS = 3
    r = upload(officer_a_client, demo, ward_list())
    # Within the slack of the quick count, the reader stops at the limit: nothing is kept.
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and not batch.rows.exists()
    assert "quá giới hạn" in officer_a_client.get(r["Location"]).content.decode()
    settings.IMPORT_MAX_ROWS = 200_000
    settings.IMPORT_MAX_BYTES = 1000
    r = upload(officer_a_client, demo, ward_list())
    assert "lớn hơn" in r.content.decode()


def test_file_is_read_once(officer_a_client, demo, media, monkeypatch):
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    calls = []
    monkeypatch.setattr(sheets, "read", lambda *a, **k: calls.append(a))
    officer_a_client.get(f"/app/registry/import/{batch.pk}/map/")
    officer_a_client.get(f"/app/registry/import/{batch.pk}/")
    officer_a_client.post(f"/app/registry/import/{batch.pk}/commit/")
    officer_a_client.get(f"/app/registry/import/{batch.pk}/rejects.csv")
    assert calls == []
    assert Child.objects.count() == 5


def test_mapping_samples_are_shown_as_typed(officer_a_client, demo, media):
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    page = officer_a_client.get(f"/app/registry/import/{batch.pk}/map/").content.decode()
    assert "05/03/2018" in page and "00:00:00" not in page and "None" not in page


def test_layout_is_remembered_per_template(demo, tmp_path):
    """A list whose header the detection cannot find (no known words in it) is read at the
    header row remembered for that template."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "UBND XÃ"
    ws.append([])
    ws.append(["Cột A", "Cột B"])
    ws.append(["Nguyễn Văn An", "05/03/2018"])
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    importer.template_remember(
        actor=None,
        headers=["Cột A", "Cột B"],
        mapping={"Cột A": "full_name", "Cột B": "birth_date"},
        header_row=3,
    )
    table = importer.read_sheet(path)
    assert table.header_row == 3 and table.rows == [["Nguyễn Văn An", "05/03/2018"]]
    assert importer.guess_mapping(table.headers) == {"Cột A": "full_name", "Cột B": "birth_date"}


def test_template_download_reads_back(officer_a_client, tmp_path, db):
    r = officer_a_client.get("/app/registry/import/template.xlsx")
    assert r.status_code == 200
    path = tmp_path / "mau.xlsx"
    path.write_bytes(r.content)
    table = importer.read_sheet(path)
    assert table.header_row == 6 and table.rows == []
    mapped = set(importer.guess_mapping(table.headers).values())
    assert {"full_name", "birth_date", "sex", "father_name", "mother_name"} <= mapped


def test_import_history_per_commune(officer_a_client, officer_b_client, demo, media):
    upload(officer_a_client, demo, ward_list())
    page = officer_a_client.get(
        f"/app/registry/import/history/?commune={demo.commune_a.code}"
    ).content.decode()
    assert "danh-sach.xlsx" in page
    other = officer_b_client.get("/app/registry/import/history/").content.decode()
    assert "danh-sach.xlsx" not in other
    batch = ImportBatch.objects.get()
    assert officer_b_client.get(f"/app/registry/import/{batch.pk}/").status_code == 404


def test_rejects_file_neutralises_formulas(demo):
    headers = ["Họ và tên", "Ngày sinh", "Giới tính"]
    report = importer.run_import(
        actor=demo.users["canbo.a"], headers=headers, rows=[[FORMULA, "31/02/2018", "Nam"]],
        mapping=importer.guess_mapping(headers), commune_code=demo.commune_a.code, today=TODAY,
        dry_run=True,
    )  # fmt: skip
    text = importer.rejects_csv(headers, report.rejects).decode("utf-8-sig")
    row = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert row[1] == "'" + FORMULA


@pytest.fixture
def formula_child(register):
    child = register(full_name="Nguyễn Văn An")
    Child.objects.filter(pk=child.pk).update(full_name=FORMULA, address="+84 Tổ 1")
    return child


@pytest.mark.parametrize("who", ["officer_a_client", "specialist_client"])
def test_exports_neutralise_formulas(formula_child, who, request):
    client = request.getfixturevalue(who)
    r = client.get("/app/registry/export.xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    name = next(c for c in cells if "HYPERLINK" in c.value)
    assert name.data_type == "s" and name.value == "'" + FORMULA
    assert not any(c.data_type == "f" for c in cells)
    r = client.get("/app/registry/export.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    flat = [c for row in rows for c in row]
    assert "'" + FORMULA in flat and FORMULA not in flat
    assert "'+84 Tổ 1" in flat


def test_commit_reuses_the_checks_matches_and_rechecks_children_registered_since(
    officer_a_client, demo, media, monkeypatch
):
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    # The check kept what it found for each valid row: five new children.
    assert batch.checked_at is not None
    assert [v[1] for v in batch.matches.values()].count("new") == 5
    # A child of the file registered by someone else between the check and the commit.
    importer.run_import(
        actor=demo.users["canbo.a"], headers=["Họ và tên", "Ngày sinh", "Giới tính"],
        rows=[["Nguyễn Văn An", "05/03/2018", "Nam"]],
        mapping=importer.guess_mapping(["Họ và tên", "Ngày sinh", "Giới tính"]),
        commune_code=demo.commune_a.code, today=TODAY,
    )  # fmt: skip
    seen: list[int] = []
    real = importer._registry_match

    def spy(new_records, existing):
        seen.append(len(existing))
        return real(new_records, existing)

    monkeypatch.setattr(importer, "_registry_match", spy)
    importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk, today=TODAY)
    batch.refresh_from_db()
    # Only the child registered since the check was matched against, and it was found.
    assert seen == [1]
    assert batch.imported == 4 and batch.updated + batch.unchanged == 1 and batch.rejected == 1
    assert Child.objects.filter(commune=demo.commune_a).count() == 5
    assert batch.matches == {}


def _siblings_list() -> bytes:
    """The ward list plus a brother of An on a line of his own, far from An's line (in place of
    the line with a date that does not exist)."""
    brother = [6, "Nguyễn Văn Bình", dt.datetime(2021, 7, 9), "Nam", "Tổ 1, khu phố 2",
               "Nguyễn Văn Tùng", "Trần Thị Hoa", ""]  # fmt: skip
    return ward_list([*WARD_ROWS[:5], brother])


def test_commit_writes_in_parts_and_keeps_brothers_in_one_household(
    officer_a_client, demo, media, settings
):
    """Parts of two rows, each its own transaction: An (first line) and his brother Bình (last
    line) still share one household and one pair of parents, every child has its audit entry,
    and the progress ends at the file's row count."""
    settings.IMPORT_PART_ROWS = 2
    upload(officer_a_client, demo, _siblings_list())
    batch = ImportBatch.objects.get()
    result = importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk)
    assert result["imported"] == 6 and result["rejected"] == 0
    an = Child.objects.get(name_key="nguyen van an")
    binh = Child.objects.get(name_key="nguyen van binh")
    assert an.household_id == binh.household_id
    assert {c.person_id for c in an.carers.all()} == {c.person_id for c in binh.carers.all()}
    ids = [
        str(pk) for pk in Child.objects.filter(commune=demo.commune_a).values_list("pk", flat=True)
    ]
    assert len(ids) == 6
    assert (
        AuditEvent.objects.filter(object_type="registry.child", object_id__in=ids, action="create")
        .values("object_id")
        .distinct()
        .count()
        == 6
    )
    batch.refresh_from_db()
    assert batch.progress == batch.total_rows == 6
    assert sum(last - first + 1 for first, last in batch.result["created_ids"]) == 6


def second_part_fails(monkeypatch, error: BaseException):
    """Writing the second part of a commit raises `error` (until `monkeypatch.undo()`)."""
    from treem.registry import services

    real = services.children_create
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise error
        return real(**kwargs)

    monkeypatch.setattr(services, "children_create", failing)


def stall(batch: ImportBatch, settings) -> None:
    """The file has not moved on for longer than IMPORT_STALL_MINUTES."""
    from django.utils import timezone

    ImportBatch.objects.filter(pk=batch.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(minutes=settings.IMPORT_STALL_MINUTES + 1)
    )


def test_an_interrupted_commit_resumes_and_writes_nothing_twice(
    officer_a_client, demo, media, settings, monkeypatch
):
    """The database fails while the second part is written: the first part stays (and the page
    says so), the file goes back to "checked", and committing it again writes the rest only,
    with the counts of one whole import."""
    settings.IMPORT_PART_ROWS = 2
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    second_part_fails(monkeypatch, DatabaseError("the disk is full"))
    with pytest.raises(DatabaseError):
        importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY
    assert Child.objects.filter(commune=demo.commune_a).count() == 2
    page = officer_a_client.get(f"/app/registry/import/{batch.pk}/").content.decode()
    assert "Lần ghi trước bị dừng giữa chừng sau khi đã ghi 2 trẻ vào sổ" in page

    monkeypatch.undo()
    r = officer_a_client.post(f"/app/registry/import/{batch.pk}/commit/")
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.imported, batch.updated, batch.unchanged, batch.rejected) == (5, 0, 0, 1)
    assert Child.objects.filter(commune=demo.commune_a).count() == 5
    assert sum(last - first + 1 for first, last in batch.result["created_ids"]) == 5
    page = officer_a_client.get(r["Location"]).content.decode()
    assert "Đã thêm 5 trẻ mới" in page and "dừng giữa chừng" not in page
    # One creation entry per child, none twice.
    events = AuditEvent.objects.filter(object_type="registry.child", action="create")
    assert events.count() == events.values("object_id").distinct().count() == 5


def test_the_planners_statistics_of_the_children_are_renewed_after_each_part(demo, register):
    """Planned from the figures of before an import, the child list of a commune grown to 87,000
    children sorted the whole commune (114 ms on SQLite) instead of walking its name index (4 ms):
    after each part (`_between_parts`) the statistics are taken again, on both databases."""
    from django.db import connection

    for k, name in enumerate(["Nguyễn Văn An", "Lê Thị Bích", "Trần Minh Khoa"]):
        register(full_name=name, birth_date=f"0{k + 1}/02/2019")
    importer.renew_statistics()
    children = Child.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'registry_child' AND idx = %s",
                ["registry_child_commune_sort"],
            )
            assert int(cursor.fetchone()[0].split()[0]) == children
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'registry_child'")
            assert cursor.fetchone()[0] == children


def test_a_file_whose_worker_stopped_is_offered_to_go_on_and_goes_on_once(
    officer_a_client, demo, media, settings, monkeypatch
):
    """The worker is killed while writing (no exception reaches the batch: it stays "being
    written"). While the file moves on, the page offers nothing and a POST does nothing; once it
    has not moved for IMPORT_STALL_MINUTES the page says so and offers to go on; going on writes
    the rest only (one whole import's counts), and a second click at once starts nothing."""
    settings.IMPORT_PART_ROWS = 2
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    # Stands for the process ending: nothing in the commit handles it.
    second_part_fails(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk)
    monkeypatch.undo()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTING
    assert Child.objects.filter(commune=demo.commune_a).count() == 2
    url = f"/app/registry/import/{batch.pk}/"
    progress = officer_a_client.get(url + "?progress=1", HTTP_HX_REQUEST="true").content.decode()
    assert "Tiếp tục" not in progress
    officer_a_client.post(url + "commit/")  # still moving: nothing happens
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTING

    stall(batch, settings)
    progress = officer_a_client.get(url + "?progress=1", HTTP_HX_REQUEST="true").content.decode()
    assert "máy xử lý nền có thể đã dừng" in progress and "Tiếp tục" in progress
    batch.refresh_from_db()
    # Two clicks at once: the first resumes, the second finds the file moving again.
    assert importer.batch_resume(actor=demo.users["canbo.a"], batch=batch) == "commit"
    assert importer.batch_resume(actor=demo.users["canbo.a"], batch=batch) is None
    stall(batch, settings)
    r = officer_a_client.post(url + "commit/")
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.imported, batch.updated, batch.unchanged, batch.rejected) == (5, 0, 0, 1)
    assert Child.objects.filter(commune=demo.commune_a).count() == 5
    events = AuditEvent.objects.filter(object_type="registry.child", action="create")
    assert events.count() == events.values("object_id").distinct().count() == 5


def test_a_check_whose_worker_stopped_runs_again_on_the_stored_rows(
    officer_a_client, demo, media, settings
):
    """Stopped while checking, after the rows were stored: going on checks the stored rows again
    (the preview appears); stopped before the file was read to its end: it is read again."""
    from django.utils import timezone

    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    old = timezone.now() - dt.timedelta(minutes=settings.IMPORT_STALL_MINUTES + 1)
    url = f"/app/registry/import/{batch.pk}/"
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.CHECKING, preview={}, heartbeat_at=old
    )
    officer_a_client.post(url + "commit/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY and batch.preview["imported"] == 5
    ImportRow.objects.filter(batch=batch, number__gt=11).delete()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.CHECKING, total_rows=0, heartbeat_at=old
    )
    officer_a_client.post(url + "commit/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.READY and batch.total_rows == 6
    assert batch.rows.count() == 6 and batch.preview["imported"] == 5


def test_a_slow_commit_taken_for_stopped_writes_nothing_once_the_file_is_resumed(
    demo, officer_a_client, media, settings, monkeypatch
):
    """The first commit was only slow: after its first part the file is resumed by a click. Its
    next part is undone (it no longer holds the file's claim) and it stops; the resumed commit
    writes the rest, and every child exists once."""
    settings.IMPORT_PART_ROWS = 2
    upload(officer_a_client, demo, ward_list())
    batch = ImportBatch.objects.get()
    real = importer._between_parts
    parts = []

    def then_resumed(started, pause):
        parts.append(1)
        real(started, pause)
        if len(parts) == 1:
            stall(batch, settings)
            assert importer.batch_resume(actor=demo.users["canbo.a"], batch=batch) == "commit"

    monkeypatch.setattr(importer, "_between_parts", then_resumed)
    importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.QUEUED  # left to the resumed commit
    assert Child.objects.filter(commune=demo.commune_a).count() == 2
    monkeypatch.setattr(importer, "_between_parts", real)
    result = importer.batch_commit(actor=demo.users["canbo.a"], batch_id=batch.pk)
    assert (result["imported"], result["rejected"]) == (5, 1)
    assert Child.objects.filter(commune=demo.commune_a).count() == 5
    events = AuditEvent.objects.filter(object_type="registry.child", action="create")
    assert events.count() == events.values("object_id").distinct().count() == 5
