"""The two transition tables: what may be done to a case, and to a referral, in each state, who
may do it and where it leads. Services refuse a move the table does not list, `access.allowed`
tells views and templates which buttons to show: nobody writes the rule a second time.

Roles are `access` predicates by name: "work" (the commune's staff), "approve" (the commune
chairman), "transfer" (the commune's staff or the province), "respond" (the partner agency the
referral was sent to).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from treem.protection.models import Case, Referral

S = Case.Status


@dataclass(frozen=True)
class Move:
    label: object  # what the user does, as a phrase ("trình kế hoạch")
    role: str
    to: str | None = None  # the next status; None: the case stays where it is


# Moves open at any step of an open case.
_ANY_OPEN = {
    "assign": Move(_("phân công"), "work"),
    "transfer": Move(_("chuyển xã"), "transfer"),
    "emergency": Move(_("ghi biện pháp khẩn cấp"), "work"),
    "separation": Move(_("quyết định tạm thời cách ly trẻ"), "approve"),
    "separation_end": Move(_("chấm dứt tạm thời cách ly"), "work"),
    "edit_forms": Move(_("sửa biểu mẫu"), "work"),
    "note": Move(_("ghi chú"), "work"),
    "attach": Move(_("đính kèm tài liệu"), "work"),
}
_REFER = {"referral_send": Move(_("chuyển gửi"), "work")}

CASE_TRANSITIONS: dict[str, dict[str, Move]] = {
    S.RECEIVED: {
        **_ANY_OPEN,
        "initial_assess": Move(_("đánh giá ban đầu"), "work", S.ASSESSMENT),
    },
    S.ASSESSMENT: {
        **_ANY_OPEN,
        **_REFER,
        "detailed_assess": Move(_("đánh giá chi tiết"), "work", S.PLANNING),
    },
    S.PLANNING: {
        **_ANY_OPEN,
        **_REFER,
        "plan_submit": Move(_("trình kế hoạch"), "work", S.APPROVAL),
    },
    S.APPROVAL: {
        **_ANY_OPEN,
        **_REFER,
        "plan_approve": Move(_("phê duyệt kế hoạch"), "approve", S.IMPLEMENTATION),
        "plan_refuse": Move(_("không phê duyệt kế hoạch"), "approve", S.PLANNING),
    },
    S.IMPLEMENTATION: {
        **_ANY_OPEN,
        **_REFER,
        "visit": Move(_("ghi thăm theo dõi"), "work"),
        "service_done": Move(_("xác nhận hoàn thành dịch vụ"), "work"),
        "review": Move(_("rà soát, đánh giá"), "work"),
        "close": Move(_("đóng ca"), "work", S.CLOSED),
        "replan": Move(_("lập lại kế hoạch"), "work", S.PLANNING),
    },
    S.CLOSED: {"reopen": Move(_("mở lại ca"), "work", S.ASSESSMENT)},
}

R = Referral.Status
REFERRAL_TRANSITIONS: dict[str, dict[str, Move]] = {
    R.SENT: {
        "accept": Move(_("nhận yêu cầu"), "respond", R.ACCEPTED),
        "decline": Move(_("từ chối yêu cầu"), "respond", R.DECLINED),
    },
    R.ACCEPTED: {
        "service": Move(_("ghi dịch vụ"), "respond", R.ACCEPTED),
        "close": Move(_("kết thúc phần việc"), "respond", R.CLOSED),
        "attach": Move(_("đính kèm tài liệu"), "respond"),
    },
    R.DECLINED: {},
    R.CLOSED: {},
}

# The stepper: each step's label and form; `STEP_OF_STATUS` is the step a status is working on
# (the steps before it are done).
STEPS = [
    (_("Tiếp nhận tin báo"), "01"),
    (_("Đánh giá ban đầu"), "02"),
    (_("Đánh giá nhu cầu, họp ca"), "03"),
    (_("Lập kế hoạch"), "04"),
    (_("Chủ tịch quyết định"), "05"),
    (_("Thực hiện, rà soát"), "06"),
    (_("Đóng ca"), ""),
]
STEP_OF_STATUS = {
    S.RECEIVED: 1,
    S.ASSESSMENT: 2,
    S.PLANNING: 3,
    S.APPROVAL: 4,
    S.IMPLEMENTATION: 5,
    S.CLOSED: len(STEPS),
}

# Every move's phrase by name, for messages ("Không thể %(action)s …").
ACTION_LABELS: dict[str, object] = {
    name: move.label for moves in CASE_TRANSITIONS.values() for name, move in moves.items()
}

# What a case in each status asks of someone, for notifications ("… : hãy lập kế hoạch").
ASKED = {
    S.RECEIVED: _("đánh giá ban đầu (Mẫu số 02)"),
    S.ASSESSMENT: _("đánh giá nhu cầu và họp ca (Mẫu số 03)"),
    S.PLANNING: _("lập kế hoạch hỗ trợ, can thiệp (Mẫu số 04)"),
    S.APPROVAL: _("quyết định phê duyệt kế hoạch (Mẫu số 05)"),
    S.IMPLEMENTATION: _("rà soát kết quả thực hiện kế hoạch (Mẫu số 06)"),
    S.CLOSED: "",
}
