"""Forms 01–07 as PDF in the Vietnamese administrative layout (Decree 30/2020/NĐ-CP on the
presentation of administrative documents): the issuing body and the number on the left, the
national title (Quốc hiệu) and motto (Tiêu ngữ) on the right, place and date in italics, the title
centred in capitals, and the signature block on the right.

Text is set in Liberation Serif, metric-compatible with Times New Roman (the font the decree
prescribes), embedded as a Unicode TrueType font so every diacritic prints and can be extracted.
Form titles follow the annex of Decree 56/2017/NĐ-CP as we understand it; they are not verified
against the official annex (see docs/protection.md).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from treem.core.pdffonts import FONT, register_fonts
from treem.protection import access
from treem.protection.models import Case


class FormNotReady(Exception):
    """The step this form records has not been done yet."""


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=13, leading=17, alignment=TA_JUSTIFY)
    return {
        "body": base,
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "center_bold": ParagraphStyle(
            "center_bold", parent=base, alignment=TA_CENTER, fontName=f"{FONT}-Bold"
        ),
        "head_left": ParagraphStyle(
            "head_left", parent=base, alignment=TA_CENTER, fontSize=12, leading=15
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            alignment=TA_CENTER,
            fontName=f"{FONT}-Bold",
            fontSize=14,
            leading=18,
            spaceBefore=6,
            spaceAfter=6,
        ),
        "date": ParagraphStyle("date", parent=base, alignment=TA_CENTER, fontName=f"{FONT}-Italic"),
        "cell": ParagraphStyle("cell", parent=base, alignment=TA_LEFT, fontSize=12, leading=15),
        "label": ParagraphStyle("label", parent=base, alignment=TA_LEFT, fontName=f"{FONT}-Bold"),
        "form_no": ParagraphStyle(
            "form_no", parent=base, alignment=TA_LEFT, fontName=f"{FONT}-Italic", fontSize=11
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _date_line(commune_name: str, when) -> str:
    when = timezone.localtime(when) if hasattr(when, "tzinfo") and when.tzinfo else when
    return _("%(place)s, ngày %(d)02d tháng %(m)02d năm %(y)d") % {
        "place": commune_name,
        "d": when.day,
        "m": when.month,
        "y": when.year,
    }


def _header(case: Case, *, number_label: str, when, st) -> list:
    commune = case.commune
    left = [
        _p(_("ỦY BAN NHÂN DÂN"), st["head_left"]),
        Paragraph(f"<b>{escape(commune.name.upper())}</b>", st["head_left"]),
        _p("———", st["head_left"]),
        _p(number_label, st["head_left"]),
    ]
    # gettext calls stay outside f-strings so that makemessages finds them.
    nation = _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = _("Độc lập - Tự do - Hạnh phúc")
    right = [
        Paragraph(f"<b>{escape(nation)}</b>", st["head_left"]),
        Paragraph(f"<b><u>{escape(motto)}</u></b>", st["center"]),
        _p("", st["center"]),
        _p(_date_line(commune.name, when), st["date"]),
    ]
    table = Table([[left, right]], colWidths=[70 * mm, 105 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table, Spacer(1, 6 * mm)]


def _fields(rows: list[tuple[str, str]], st) -> list:
    out = []
    for label, value in rows:
        out.append(
            Paragraph(
                f"<b>{escape(label)}:</b> {escape(str(value or '—'))}".replace("\n", "<br/>"),
                st["body"],
            )
        )
        out.append(Spacer(1, 1.5 * mm))
    return out


def _signature(title: str, name: str, st) -> list:
    sign_here = _("(Ký, ghi rõ họ tên)")
    block = [
        Paragraph(f"<b>{escape(title)}</b>", st["center"]),
        Paragraph(f"<i>{escape(sign_here)}</i>", st["center"]),
        Spacer(1, 18 * mm),
        Paragraph(f"<b>{escape(name)}</b>", st["center"]),
    ]
    table = Table([["", block]], colWidths=[80 * mm, 95 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 8 * mm), table]


def _child_label(case: Case) -> str:
    child = getattr(case, "child", None)
    if child is not None:
        return str(getattr(child, "full_name", child))
    return case.report.child_description


def _child_rows(case: Case) -> list[tuple[str, str]]:
    """Every form identifies the child: name, date of birth, sex and address (from the registry
    once the case is linked; until then, what the report said)."""
    child = getattr(case, "child", None)
    if child is None:
        return [
            (_("Trẻ em"), _("Chưa gắn hồ sơ trong sổ trẻ em")),
            (_("Thông tin về trẻ em theo tin báo"), case.report.child_description),
        ]
    address = ", ".join(str(x) for x in [child.address, child.village, child.commune.name] if x)
    return [
        (_("Họ và tên trẻ em"), child.full_name),
        (_("Ngày sinh"), child.birth_date.strftime("%d/%m/%Y")),
        (_("Giới tính"), child.get_sex_display()),
        (_("Địa chỉ"), address),
    ]


def _revision(case: Case, revision_id: int | None, form: str):
    """The kept version of a form (`FormRevision`), rebuilt as an unsaved instance."""
    if revision_id is None:
        return None, None
    from datetime import datetime as dt

    from treem.protection.models import DetailedAssessment, FormRevision, InitialAssessment

    revision = FormRevision.objects.filter(case=case, form=form, pk=revision_id).first()
    if revision is None:
        raise FormNotReady(_("Không có bản lưu này của biểu mẫu."))
    model = {"02": InitialAssessment, "03": DetailedAssessment}[form]
    values = {}
    for name, value in revision.data.items():
        if name.endswith("_at") and isinstance(value, str):
            value = dt.fromisoformat(value)
        values[name] = value
    return model(case=case, **values), revision


def _revision_note(revision, st) -> list:
    if revision is None:
        return []
    return [
        _p(
            _("Bản lưu: biểu mẫu lập lúc %(a)s, đã được thay lúc %(b)s.")
            % {
                "a": timezone.localtime(revision.valid_from).strftime("%H:%M %d/%m/%Y"),
                "b": timezone.localtime(revision.replaced_at).strftime("%H:%M %d/%m/%Y"),
            },
            st["form_no"],
        ),
        Spacer(1, 2 * mm),
    ]


def _form01(case: Case, user, st, **kw) -> tuple[str, list]:
    r = case.report
    if r.is_anonymous:
        reporter = _("Giấu tên")
    elif access.handles(user, case):
        reporter = " ".join(x for x in [r.reporter_name, r.reporter_phone, r.reporter_email] if x)
    else:
        reporter = _("(chỉ người trực tiếp xử lý ca mới xem được)")
    # The receiver is the person, or else the office (the commune's People's Committee), that
    # received the report; the portal or the hotline is the channel, not the receiver.
    receiver = str(r.received_by) if r.received_by else _("UBND %(c)s") % {"c": r.commune.name}
    rows = [
        (_("Thời điểm tiếp nhận"), timezone.localtime(r.received_at).strftime("%H:%M %d/%m/%Y")),
        (_("Kênh tiếp nhận"), r.get_channel_display()),
        (_("Người, cơ quan tiếp nhận"), receiver),
        (_("Người báo tin"), reporter),
        *_child_rows(case),
        (_("Thông tin về trẻ em theo tin báo"), r.child_description),
        (_("Nơi xảy ra"), ", ".join(str(x) for x in [r.village, r.commune] if x)),
        (_("Thời gian xảy ra"), r.happened_on.strftime("%d/%m/%Y") if r.happened_on else ""),
        (_("Hình thức xâm hại"), ", ".join(r.get_abuse_types_display())),
        (_("Nội dung sự việc"), r.what_happened),
        (_("Người bị nghi gây hại"), r.suspected_person),
    ]
    return (
        _("PHIẾU GHI NHẬN THÔNG TIN, THÔNG BÁO, TỐ GIÁC HÀNH VI XÂM HẠI TRẺ EM"),
        [*_fields(rows, st), *_signature(_("NGƯỜI TIẾP NHẬN"), receiver, st)],
    )


def _form02(case: Case, user, st, revision_id=None, **kw) -> tuple[str, list]:
    a, revision = _revision(case, revision_id, "02")
    a = a or getattr(case, "initial_assessment", None)
    if a is None:
        raise FormNotReady(_("Ca chưa được đánh giá ban đầu; hãy ghi Mẫu số 02 trước khi in."))
    measures = "; ".join(
        "%s (%s): %s"
        % (
            m.get_kind_display(),
            f"{timezone.localtime(m.applied_at):%H:%M %d/%m/%Y}",
            m.description,
        )
        for m in case.emergency_measures.all()
    )
    rows = [
        *_child_rows(case),
        (_("Thời điểm đánh giá"), timezone.localtime(a.assessed_at).strftime("%H:%M %d/%m/%Y")),
        (_("Trẻ em có đang gặp nguy hiểm"), _("Có") if a.in_danger else _("Không")),
        (_("Nhận định ban đầu"), a.findings),
        (_("Nhu cầu cần đáp ứng ngay"), a.immediate_needs),
        (_("Biện pháp bảo vệ khẩn cấp đã áp dụng"), measures),
    ]
    return (
        _("BÁO CÁO ĐÁNH GIÁ BAN ĐẦU VỀ NGUY CƠ ĐỐI VỚI TRẺ EM"),
        [
            *_revision_note(revision, st),
            *_fields(rows, st),
            *_signature(_("NGƯỜI ĐÁNH GIÁ"), str(a.assessed_by), st),
        ],
    )


def _form03(case: Case, user, st, revision_id=None, **kw) -> tuple[str, list]:
    a, revision = _revision(case, revision_id, "03")
    a = a or getattr(case, "detailed_assessment", None)
    if a is None:
        raise FormNotReady(_("Ca chưa được đánh giá chi tiết; hãy ghi Mẫu số 03 trước khi in."))
    participants = "\n".join(
        f"{i}. {p['name']}" + (f" — {p['role']}" if p.get("role") else "")
        for i, p in enumerate(a.participants, 1)
    )
    rows = [
        *_child_rows(case),
        (
            _("Thời gian, địa điểm họp"),
            f"{timezone.localtime(a.meeting_at):%H:%M %d/%m/%Y}, {a.meeting_place}",
        ),
        (_("Thành phần tham dự"), participants),
        (_("Nhu cầu của trẻ em"), a.child_needs),
        (_("Hoàn cảnh gia đình"), a.family_situation),
        (_("Nguy cơ"), a.risks),
        (_("Điểm mạnh, nguồn lực"), a.strengths),
    ]
    return (
        _("BÁO CÁO ĐÁNH GIÁ NHU CẦU CỦA TRẺ EM VÀ GIA ĐÌNH"),
        [
            *_revision_note(revision, st),
            *_fields(rows, st),
            *_signature(_("NGƯỜI ĐÁNH GIÁ"), str(a.assessed_by), st),
        ],
    )


def _latest_plan(case: Case, *, approved: bool = False, number: int | None = None):
    qs = case.plans.all()
    if approved:
        qs = qs.filter(status="approved")
    if number is not None:
        qs = qs.filter(number=number)
    plan = qs.order_by("-number").first()
    if plan is None:
        raise FormNotReady(
            _("Ca chưa có kế hoạch đã phê duyệt.") if approved else _("Ca chưa có kế hoạch.")
        )
    return plan


def _services_table(plan, st) -> Table:
    head = [
        _p(x, st["label"])
        for x in (_("Dịch vụ"), _("Nội dung"), _("Người/cơ quan thực hiện"), _("Thời hạn"))
    ]
    rows = [head]
    for s in plan.services.select_related("organisation", "responsible_user"):
        rows.append(
            [
                _p(s.get_kind_display(), st["cell"]),
                _p(s.description, st["cell"]),
                _p(s.responsible_label, st["cell"]),
                _p(s.due_on.strftime("%d/%m/%Y"), st["cell"]),
            ]
        )
    table = Table(rows, colWidths=[33 * mm, 62 * mm, 52 * mm, 28 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _form04(case: Case, user, st, plan_number=None, **kw) -> tuple[str, list]:
    plan = _latest_plan(case, number=plan_number)
    rows = [
        *_child_rows(case),
        (_("Lần lập kế hoạch"), str(plan.number)),
        (_("Mục tiêu"), plan.goals),
    ]
    return (
        _("KẾ HOẠCH HỖ TRỢ, CAN THIỆP"),
        [
            *_fields(rows, st),
            _services_table(plan, st),
            *_signature(_("NGƯỜI LẬP KẾ HOẠCH"), str(plan.drafted_by), st),
        ],
    )


def _form05(case: Case, user, st, plan_number=None, **kw) -> tuple[str, list]:
    plan = _latest_plan(case, approved=True, number=plan_number)
    body = [
        _p(
            _("CHỦ TỊCH ỦY BAN NHÂN DÂN %(c)s") % {"c": case.commune.name.upper()},
            st["center_bold"],
        ),
        Spacer(1, 3 * mm),
        _p(
            _(
                "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016; Căn cứ Nghị định số 56/2017/NĐ-CP "
                "ngày 09 tháng 5 năm 2017 của Chính phủ quy định chi tiết Luật Trẻ em; Xét đề "
                "nghị của người làm công tác bảo vệ trẻ em cấp xã,"
            ),
            st["body"],
        ),
        _p(_("QUYẾT ĐỊNH:"), st["center_bold"]),
        _p(
            _("Điều 1. Phê duyệt Kế hoạch hỗ trợ, can thiệp lần %(n)s đối với trẻ em: %(child)s.")
            % {"n": plan.number, "child": _child_label(case)},
            st["body"],
        ),
        *_fields(_child_rows(case), st),
        _p(_("Mục tiêu: %(goals)s") % {"goals": plan.goals}, st["body"]),
        Spacer(1, 2 * mm),
        _services_table(plan, st),
        Spacer(1, 2 * mm),
        _p(
            _(
                "Điều 2. Các cơ quan, tổ chức, cá nhân có tên trong Kế hoạch chịu trách nhiệm thi "
                "hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký."
            ),
            st["body"],
        ),
    ]
    return (
        _("QUYẾT ĐỊNH PHÊ DUYỆT KẾ HOẠCH HỖ TRỢ, CAN THIỆP"),
        [*body, *_signature(_("CHỦ TỊCH"), str(plan.decided_by), st)],
    )


def _form06(case: Case, user, st, **kw) -> tuple[str, list]:
    review = case.reviews.order_by("-reviewed_at").first()
    if review is None:
        raise FormNotReady(_("Ca chưa được rà soát; hãy ghi Mẫu số 06 trước khi in."))
    rows = [
        *_child_rows(case),
        (_("Thời điểm rà soát"), timezone.localtime(review.reviewed_at).strftime("%d/%m/%Y")),
        (_("Kết quả thực hiện kế hoạch"), review.results),
        (_("Tình trạng hiện tại của trẻ em"), review.child_situation),
        (_("Kết luận"), review.get_outcome_display()),
        (_("Lý do"), review.reason),
    ]
    return (
        _("BÁO CÁO ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN KẾ HOẠCH HỖ TRỢ, CAN THIỆP"),
        [*_fields(rows, st), *_signature(_("NGƯỜI ĐÁNH GIÁ"), str(review.reviewed_by), st)],
    )


def _form07(case: Case, user, st, **kw) -> tuple[str, list]:
    decision = case.separations.order_by("-decided_at").first()
    if decision is None:
        raise FormNotReady(_("Ca chưa có quyết định tạm thời cách ly trẻ."))
    fmt = "%H:%M %d/%m/%Y"
    period = _("từ %(a)s đến %(b)s") % {
        "a": timezone.localtime(decision.starts_at).strftime(fmt),
        "b": timezone.localtime(decision.ends_at).strftime(fmt),
    }
    rows = [
        (_("Cách ly khỏi"), decision.separated_from),
        (_("Nơi, người chăm sóc tạm thời"), decision.placement),
        (_("Thời gian cách ly"), period),
        (_("Lý do"), decision.reason),
    ]
    if decision.extension_reason:
        rows.append((_("Lý do gia hạn"), decision.extension_reason))
    body = [
        _p(
            _("CHỦ TỊCH ỦY BAN NHÂN DÂN %(c)s") % {"c": case.commune.name.upper()},
            st["center_bold"],
        ),
        Spacer(1, 3 * mm),
        _p(
            _(
                "Căn cứ Luật Trẻ em ngày 05 tháng 4 năm 2016; Căn cứ Nghị định số 56/2017/NĐ-CP "
                "ngày 09 tháng 5 năm 2017 của Chính phủ, Điều 32; Xét tình trạng trẻ em có nguy "
                "cơ bị tổn hại nghiêm trọng,"
            ),
            st["body"],
        ),
        _p(_("QUYẾT ĐỊNH:"), st["center_bold"]),
        _p(_("Điều 1. Tạm thời cách ly trẻ em:"), st["body"]),
        *_fields(_child_rows(case), st),
        *_fields(rows, st),
        _p(
            _(
                "Điều 2. Thời hạn tạm thời cách ly không quá 15 ngày, trừ trường hợp được gia hạn "
                "(Nghị định 56/2017/NĐ-CP, Điều 32). Các cơ quan, tổ chức, cá nhân có liên quan "
                "chịu trách nhiệm thi hành Quyết định này."
            ),
            st["body"],
        ),
    ]
    return (
        _("QUYẾT ĐỊNH TẠM THỜI CÁCH LY TRẺ EM KHỎI MÔI TRƯỜNG, NGƯỜI GÂY TỔN HẠI"),
        [*body, *_signature(_("CHỦ TỊCH"), str(decision.decided_by), st)],
    )


FORMS = {
    "01": _form01,
    "02": _form02,
    "03": _form03,
    "04": _form04,
    "05": _form05,
    "06": _form06,
    "07": _form07,
}


def _number_and_date(number: str, case: Case, plan_number: int | None):
    """Forms 05 and 07 are decisions: their number is the decision number the chairman entered
    and their date the day of the decision; the other forms carry the case code and today."""
    decision_number, when = "", timezone.now()
    if number == "05":
        plan = case.plans.filter(status="approved")
        if plan_number is not None:
            plan = plan.filter(number=plan_number)
        plan = plan.order_by("-number").first()
        if plan is not None:
            decision_number, when = plan.decision_number, plan.decided_at or when
    elif number == "07":
        decision = case.separations.order_by("-decided_at").first()
        if decision is not None:
            decision_number, when = decision.decision_number, decision.decided_at
    if number in {"05", "07"}:
        return _("Số: %(n)s") % {"n": decision_number or "...../QĐ-UBND"}, when
    return _("Số hồ sơ: %(c)s") % {"c": case.code}, when


def render_form(
    number: str,
    *,
    case: Case,
    user,
    revision_id: int | None = None,
    plan_number: int | None = None,
) -> bytes:
    if number not in FORMS:
        raise FormNotReady(_("Không có biểu mẫu số %(n)s.") % {"n": number})
    register_fonts()
    st = _styles()
    title, body = FORMS[number](case, user, st, revision_id=revision_id, plan_number=plan_number)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{case.code} — {title}",
        author="Treem",
    )
    number_label, when = _number_and_date(number, case, plan_number)
    story = [
        _p(_("Mẫu số %(n)s") % {"n": number}, st["form_no"]),
        *_header(case, number_label=number_label, when=when, st=st),
        _p(title, st["title"]),
        Spacer(1, 4 * mm),
        *body,
    ]
    doc.build(story)
    return buffer.getvalue()
