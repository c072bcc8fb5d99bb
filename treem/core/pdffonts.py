"""The one place where Treem's PDFs get a font that prints Vietnamese.

Debian's fonts-liberation2 (Liberation 2.x) carries the precomposed Vietnamese letters (ộ, ệ, ữ …);
fonts-liberation 1.07 does not and would print blanks. Liberation Serif is metric-compatible with
Times New Roman, the face Decree 30/2020/NĐ-CP prescribes for administrative documents. The first
directory whose serif font has the letters is used; `TREEM_PDF_FONT_DIR` puts another first.

Every PDF (case forms, payment lists, certificates, the review report) and the Pillow-drawn charts
of the Word report take the font from here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

FONT = "TreemSerif"
# Letters a Vietnamese text cannot do without, checked in the font before it is used.
_VIETNAMESE_PROBE = "ỘệữẠđƯơ"
_FACES = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}


def font_dirs() -> list[Path]:
    candidates = [
        getattr(settings, "TREEM_PDF_FONT_DIR", ""),
        "/usr/share/fonts/truetype/liberation2",
        "/usr/share/fonts/truetype/liberation",
    ]
    return [Path(p) for p in candidates if p]


@cache
def font_dir() -> Path:
    """The directory of a Liberation Serif that has the Vietnamese letters, or RuntimeError."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    for directory in font_dirs():
        path = directory / "LiberationSerif-Regular.ttf"
        if path.exists():
            glyphs = TTFontFile(str(path)).charToGlyph
            if all(ord(ch) in glyphs for ch in _VIETNAMESE_PROBE):
                return directory
    raise RuntimeError(
        "No Liberation Serif with Vietnamese letters found: install Debian's fonts-liberation2 "
        "(apt-get install fonts-liberation2) or set TREEM_PDF_FONT_DIR."
    )


def font_file(face: str = "Regular") -> Path:
    """The TrueType file of one face (Regular, Bold, Italic, BoldItalic), for Pillow."""
    return font_dir() / f"LiberationSerif-{face}.ttf"


def register_fonts() -> str:
    """Register the family with reportlab once per process and return its name (FONT); the faces
    are FONT, FONT-Bold, FONT-Italic and FONT-BoldItalic."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    for suffix, face in _FACES.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(font_file(face))))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )
    return FONT
