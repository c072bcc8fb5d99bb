import unicodedata

from treem.lib.text import fold, fold_many, nfc, slugify_vi, tone_keys_many


def test_nfc_composes_decomposed_input_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị\tHoà ")
    assert nfc(decomposed) == "Nguyễn Thị Hoà"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_fold_meets_every_spelling_of_one_name():
    spellings = [
        "Nguyễn Văn Đức",
        "NGUYỄN VĂN ĐỨC",
        "nguyen van duc",
        unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        "  Nguyễn   Văn\u00a0Đức ",
    ]
    assert {fold(s) for s in spellings} == {"nguyen van duc"}


def test_fold_handles_empty_and_none():
    assert fold(None) == ""
    assert fold("   ") == ""


def test_fold_keeps_letters_outside_vietnamese():
    assert fold("Lê 李") == "le 李"


def test_fold_many_equals_fold_item_by_item():
    values = [
        "  Đặng  Thị\tThuỷ ",
        "",
        None,
        " ",
        unicodedata.normalize("NFD", "Phạm Thu Yến"),
        "Lê 李",
        "HỒ  VĂN",
    ]
    assert fold_many(values) == [fold(v) for v in values]


def test_fold_many_survives_the_internal_separator():
    assert fold_many(["a\x00b", "Đ"]) == [fold("a\x00b"), "d"]


def test_tone_keys_ignore_tone_placement_but_keep_the_letters():
    keys = tone_keys_many(["Thuỷ", "Thủy", "Thúy", "Thu", "Thư", "HOÀ", "hòa"])
    assert keys[0] == keys[1]
    assert len({keys[0], keys[2], keys[3], keys[4]}) == 4
    assert keys[5] == keys[6]


def test_slugify_vi():
    assert slugify_vi("Phường Tân Đông Hiệp") == "phuong-tan-dong-hiep"
    assert slugify_vi("  Xã Đắk R'Lấp!! ") == "xa-dak-r-lap"
