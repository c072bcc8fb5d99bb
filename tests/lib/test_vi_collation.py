from treem.lib.text import vi_sort_key as sort_key


def person_sort_key(name):
    return sort_key(name, given_name_first=True)


def test_people_sort_by_given_name_in_vietnamese_alphabet_order():
    names = ["Trần Văn Đức", "Lê Thị Dung", "Nguyễn Ân", "Phạm An", "Võ Anh", "Bùi Ánh", "Lý Ăn"]
    ordered = sorted(names, key=person_sort_key)
    assert ordered == [
        "Phạm An", "Võ Anh", "Bùi Ánh", "Lý Ăn", "Nguyễn Ân", "Lê Thị Dung", "Trần Văn Đức",
    ]  # fmt: skip


def test_tones_order_after_letters_ngang_huyen_hoi_nga_sac_nang():
    words = ["Hạ", "Há", "Hà", "Ha", "Hả", "Hã"]
    assert sorted(words, key=sort_key) == ["Ha", "Hà", "Hả", "Hã", "Há", "Hạ"]


def test_key_is_collation_proof_digits_only_and_nfc_independent():
    import unicodedata

    name = "Nguyễn Thị Thủy"
    assert sort_key(name).isdigit()
    assert person_sort_key(unicodedata.normalize("NFD", name)) == person_sort_key(name)
