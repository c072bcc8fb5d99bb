"""Importing spreadsheets: per-cell messages, rejects file, no half import, no duplicates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from treem.registry import importer
from treem.registry.models import Child, ChildCarer

from .conftest import TODAY

HEADERS = ["STT hồ sơ", "Họ và tên", "Ngày sinh", "Giới tính", "Địa chỉ", "Họ tên mẹ", "Họ tên cha"]
GOOD_ROWS = [
    ["1", "Nguyễn Văn An", "05/03/2018", "Nam", "Số 1", "Trần Thị Hoa", "Nguyễn Văn Tùng"],
    ["2", unicodedata.normalize("NFD", "Lê Thị Bích"), 43164, "Nữ", "Số 2", "Phạm Thị Lan", ""],
    ["3", "Tran Minh Khoa", "2019", "nam", "Số 3", "", "Trần Văn Bảo"],
    ["4", "Nguyễn Thị Mai", dt.date(2017, 7, 9), "Nữ", "Số 1", "Trần Thị Hoa", "Nguyễn Văn Tùng"],
]
BAD_ROWS = [
    ["5", "Võ Văn Sai", "31/02/2018", "Nam", "Số 9", "", ""],
    ["6", "", "01/01/2018", "Nữ", "", "", ""],
    ["7", "Đỗ Thị Lạ", "01/01/2018", "Khác", "", "", ""],
]


def run(rows, demo, dry_run=False):
    return importer.run_import(
        actor=demo.users["canbo.a"],
        headers=HEADERS,
        rows=rows,
        mapping=importer.guess_mapping(HEADERS),
        commune_code=demo.commune_a.code,
        dry_run=dry_run,
        today=TODAY,
    )


def test_headers_are_recognised(db):
    m = importer.guess_mapping(HEADERS)
    assert m["Họ và tên"] == "full_name" and m["Ngày sinh"] == "birth_date"
    assert m["Họ tên mẹ"] == "mother_name" and m["STT hồ sơ"] == "source_ref"


def test_half_bad_file_imports_good_rows_and_returns_bad_ones_with_reasons(demo):
    report = run(GOOD_ROWS + BAD_ROWS, demo)
    assert (report.imported, report.updated, report.rejected) == (4, 0, 3)
    assert Child.objects.filter(commune=demo.commune_a).count() == 4
    reasons = {r.number: r.errors for r in report.rejects}
    assert set(reasons) == {6, 7, 8}
    assert reasons[6][0].startswith("Dòng 6, cột “Ngày sinh”")
    assert "cột “Họ và tên”" in reasons[7][0]
    assert "cột “Giới tính”" in reasons[8][0]
    text = importer.rejects_csv(HEADERS, report.rejects).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "Lý do" and len(rows) == 4
    assert rows[1][2] == "Võ Văn Sai"
    # Names in any Unicode form are stored NFC; serial and year-only dates understood.
    bich = Child.objects.get(name_key="le thi bich")
    assert unicodedata.is_normalized("NFC", bich.full_name)
    assert bich.birth_date == dt.date(2018, 3, 5)
    assert Child.objects.get(name_key="tran minh khoa").birth_date_precision == "year"
    # Siblings on two lines share one household and the same parents.
    an, mai = (
        Child.objects.get(name_key="nguyen van an"),
        Child.objects.get(name_key="nguyen thi mai"),
    )
    assert an.household_id == mai.household_id
    assert set(ChildCarer.objects.filter(child=an).values_list("person_id", flat=True)) == set(
        ChildCarer.objects.filter(child=mai).values_list("person_id", flat=True)
    )


def test_reimport_creates_nothing_new(demo):
    run(GOOD_ROWS, demo)
    count = Child.objects.count()
    again = run(GOOD_ROWS, demo)
    assert again.imported == 0 and again.unchanged == 4
    assert Child.objects.count() == count
    # The same children written differently still match.
    variant = [["1", "NGUYEN VAN AN", "5/3/2018", "nam", "so 1", "Tran Thi Hoa", ""]]
    assert run(variant, demo).imported == 0


def test_reimport_fills_empty_fields_only(demo):
    run(GOOD_ROWS[:1], demo)
    headers = [*HEADERS, "Trường"]
    report = importer.run_import(
        actor=demo.users["canbo.a"],
        headers=headers,
        rows=[[*GOOD_ROWS[0], "Trường Tiểu học Trấn Biên"]],
        mapping=importer.guess_mapping(headers),
        commune_code=demo.commune_a.code,
        today=TODAY,
    )
    assert report.updated == 1
    assert Child.objects.get(name_key="nguyen van an").school_name == "Trường Tiểu học Trấn Biên"


def test_dry_run_writes_nothing(demo):
    report = run(GOOD_ROWS + BAD_ROWS, demo, dry_run=True)
    assert (report.imported, report.rejected) == (4, 3)
    assert not Child.objects.exists()


def test_repeat_within_the_file_is_rejected(demo):
    report = run([GOOD_ROWS[0], ["9", *GOOD_ROWS[0][1:]]], demo)
    assert report.imported == 1 and report.rejected == 1
    assert "dòng 2" in report.rejects[0].errors[0]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_command_ends_with_the_summary_line(demo, tmp_path, suffix):
    path = tmp_path / f"list{suffix}"
    if suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            for r in GOOD_ROWS + BAD_ROWS:
                w.writerow([x.strftime("%d/%m/%Y") if isinstance(x, dt.date) else x for x in r])
    else:
        wb = Workbook()
        ws = wb.active
        ws.append(HEADERS)
        for r in GOOD_ROWS + BAD_ROWS:
            ws.append(r)
        wb.save(path)
    rejects = tmp_path / "rejects.csv"
    out = io.StringIO()
    call_command(
        "import_children", str(path), commune=demo.commune_a.code, rejects=str(rejects), stdout=out
    )
    assert out.getvalue().strip().splitlines()[-1] == "imported 4, updated 0, rejected 3"
    assert len(rejects.read_text(encoding="utf-8-sig").strip().splitlines()) == 4
    out = io.StringIO()
    call_command("import_children", str(path), commune=demo.commune_a.code, stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "imported 0, updated 0, rejected 3"


def test_upload_map_preview_commit_through_the_pages(officer_a_client, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    for r in GOOD_ROWS[:1] + BAD_ROWS[:1]:
        w.writerow(r)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ds.csv", buf.getvalue().encode("utf-8"), "text/csv")
    r = officer_a_client.post(
        "/app/registry/import/", {"file": upload, "commune": demo.commune_a.code}
    )
    assert r.status_code == 302
    preview = r["Location"]
    map_url = preview.replace("preview", "map")
    assert officer_a_client.get(map_url).status_code == 200
    posted = {f"col{i}": f for i, f in enumerate(importer.guess_mapping(HEADERS).values())}
    r = officer_a_client.post(map_url, posted)
    assert r["Location"] == preview
    page = officer_a_client.get(preview).content.decode()
    assert "Dòng 3, cột" in page
    assert not Child.objects.exists()
    officer_a_client.post(preview.replace("preview", "commit"))
    assert Child.objects.count() == 1
    rejects = officer_a_client.get(preview.replace("preview/", "rejects.csv"))
    assert "Võ Văn Sai" in rejects.content.decode("utf-8-sig")


def test_find_duplicates_command_wraps_the_engine(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(
        "record_id,full_name,birth_date,sex,commune_code,address,mother_name,father_name,id_number\n"
        "1,Nguyễn Văn An,2018-03-05,M,26041,Số 1,Trần Thị Hoa,Nguyễn Văn Tùng,\n"
        "2,NGUYEN VAN AN,2018-05-03,M,26041,so 1,Tran Thi Hoa,Nguyen Van Tung,\n"
        "3,Lê Thị Bích,2016-01-01,F,26248,Ấp 2,Phạm Thị Lan,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "pairs.csv"
    call_command("find_duplicates", input=str(src), output=str(out), stdout=io.StringIO())
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["record_id_a", "record_id_b", "score"]
    assert [r[:2] for r in rows[1:]] == [["1", "2"]]


def test_reimport_recognises_unchanged_rows_by_fingerprint_without_the_engine(demo, monkeypatch):
    first = run(GOOD_ROWS, demo)
    assert first.imported == 4
    stamped = Child.objects.exclude(import_fingerprint="")
    assert stamped.count() == 4

    def no_engine(*args, **kwargs):
        raise AssertionError("an unchanged row must not reach the duplicate engine")

    monkeypatch.setattr(importer, "find_pairs", no_engine)
    again = run(GOOD_ROWS, demo)
    assert (again.imported, again.unchanged, again.rejected) == (0, 4, 0)
    assert {r.match_by for r in again.rows} == {"fingerprint"}
    assert Child.objects.count() == 4
    # A row that differs (a school added) is not the same fingerprint: matched and filled.
    monkeypatch.undo()
    headers = [*HEADERS, "Trường"]
    report = importer.run_import(
        actor=demo.users["canbo.a"], headers=headers,
        rows=[[*GOOD_ROWS[0], "Trường Tiểu học Trấn Biên"]],
        mapping=importer.guess_mapping(headers), commune_code=demo.commune_a.code, today=TODAY,
    )  # fmt: skip
    assert report.updated == 1 and report.rows[0].match_by != "fingerprint"
    an = Child.objects.get(name_key="nguyen van an")
    assert an.import_fingerprint == report.rows[0].fingerprint


def test_rows_matched_by_the_engine_are_stamped_so_the_next_import_skips_it(demo, monkeypatch):
    run(GOOD_ROWS[:1], demo)
    Child.objects.update(import_fingerprint="")  # registered some other way
    variant = [["1", "NGUYEN VAN AN", "5/3/2018", "nam", "so 1", "Tran Thi Hoa", ""]]
    first = run(variant, demo)
    assert first.unchanged == 1 and first.rows[0].match_by in ("exact", "engine")
    monkeypatch.setattr(importer, "find_pairs", lambda *a, **k: pytest.fail("engine ran"))
    again = run(variant, demo)
    assert again.unchanged == 1 and again.rows[0].match_by == "fingerprint"


def test_fingerprint_of_a_merged_child_does_not_match(demo):
    run(GOOD_ROWS[:1], demo)
    child = Child.objects.get()
    Child.objects.filter(pk=child.pk).update(is_active=False)
    again = run(GOOD_ROWS[:1], demo)
    assert again.imported == 1


def test_reimport_rejects_the_same_repeats_without_the_engine(demo, monkeypatch):
    variant = ["9", "NGUYEN VAN AN", "5/3/2018", "nam", "Số 1", "Trần Thị Hoa", "Nguyễn Văn Tùng"]
    rows = [*GOOD_ROWS, variant]
    first = run(rows, demo)
    assert (first.imported, first.rejected) == (4, 1)
    monkeypatch.setattr(importer, "find_pairs", lambda *a, **k: pytest.fail("engine ran"))
    again = run(rows, demo)
    assert (again.imported, again.unchanged, again.rejected) == (0, 4, 1)
    assert "dòng 2" in again.rejects[0].errors[0]


def test_two_children_from_one_identical_row_are_matched_on_reimport(demo, monkeypatch):
    run(GOOD_ROWS[:1], demo)
    first = Child.objects.get()
    second = Child.objects.get()
    second.pk = None
    second.save()  # a duplicate carrying the same fingerprint (two identical rows not paired)
    monkeypatch.setattr(importer, "find_pairs", lambda *a, **k: pytest.fail("engine ran"))
    again = run(GOOD_ROWS[:1], demo)
    assert (again.imported, again.unchanged) == (0, 1)
    assert again.rows[0].match_id == first.pk
