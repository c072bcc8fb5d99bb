"""Editors' and moderators' pages (quan-tri/), on the staff base template. Access is decided by
`treem.accounts.policy` through the selectors and services."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.policy import Action, can, require
from treem.audit.services import audit_record
from treem.core.forms import apply_validation_error
from treem.core.parsing import InvalidParameter, parse_local_datetime, safe_ids
from treem.portal import access, readcount, selectors, services
from treem.portal.forms import ArticleForm, PortalSettingsForm, TransitionForm
from treem.portal.intake_bridge import intake_available
from treem.portal.models import Article, ArticleEvent, Comment, Concern, PortalSettings, Vote

STAFF_PAGE = 25


@login_required
def staff_home_view(request):
    require(request.user, Action.ARTICLE_APPROVE)
    counts = {
        "in_review": Article.objects.filter(status=Article.Status.IN_REVIEW).count(),
        "drafts": Article.objects.filter(status=Article.Status.DRAFT).count(),
        "live": selectors.live_articles().count(),
        "pending_comments": Comment.objects.filter(status=Comment.Status.PENDING).count(),
    }
    return render(
        request,
        "portal/staff/home.html",
        {
            "counts": counts,
            "can_edit": access.can_edit_articles(request.user),
            "can_moderate": access.can_moderate(request.user),
        },
    )


@login_required
def staff_article_list_view(request):
    status = request.GET.get("status", "")
    if status not in Article.Status.values:
        status = ""
    query = request.GET.get("q", "").strip()[:200]
    qs = selectors.articles_for_staff(user=request.user, status=status, query=query)
    page = Paginator(qs, STAFF_PAGE).get_page(request.GET.get("page"))
    views = readcount.article_views([a.pk for a in page])
    for article in page:
        article.views = views[article.pk]
    return render(
        request,
        "portal/staff/article_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "statuses": Article.Status.choices,
            "can_edit": can(request.user, Action.ARTICLE_EDIT),
        },
    )


def _article_kwargs(form: ArticleForm) -> dict:
    d = form.cleaned_data
    return {
        "title": d["title"],
        "category": d["category"],
        "excerpt": d["excerpt"],
        "body": d["body"],
        "tag_names": form.tag_list(),
        "cover_alt": d["cover_alt"],
        "publish_at": d["publish_at"],
        "unpublish_at": d["unpublish_at"],
        "comments_enabled": d["comments_enabled"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def staff_article_create_view(request):
    require(request.user, Action.ARTICLE_EDIT)
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                actor=request.user,
                cover_image=form.cleaned_data.get("cover_image") or None,
                **_article_kwargs(form),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu bản nháp “%(title)s”.") % {"title": article})
            return redirect("portal:staff_article_edit", pk=article.pk)
    return render(request, "portal/staff/article_form.html", {"form": form, "article": None})


@login_required
@require_http_methods(["GET", "POST"])
def staff_article_edit_view(request, pk: int):
    article = access.article_get_for_user(request.user, pk)
    can_edit = can(request.user, Action.ARTICLE_EDIT)
    if request.method == "POST":
        require(request.user, Action.ARTICLE_EDIT)
    form = ArticleForm(request.POST or None, request.FILES or None, instance=article)
    if request.method == "POST" and form.is_valid():
        cover = form.cleaned_data.get("cover_image")
        try:
            services.article_update(
                actor=request.user,
                article=article,
                expected_version=form.cleaned_data.get("version") or 0,
                cover_image=cover if cover is not None else None,
                **_article_kwargs(form),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu bài viết."))
            return redirect("portal:staff_article_edit", pk=article.pk)
    if request.method == "POST":
        article.refresh_from_db()
    transitions = _available_transitions(request.user, article)
    return render(
        request,
        "portal/staff/article_form.html",
        {
            "form": form,
            "article": article,
            "can_edit": can_edit,
            "transitions": transitions,
            "transition_form": TransitionForm(initial={"version": article.version}),
            "events": article.events.select_related("actor")[:20],
        },
    )


def _available_transitions(user, article: Article) -> list[dict]:
    out = []
    for kind, (allowed_from, _to, action) in services._TRANSITIONS.items():
        if article.status in allowed_from and access.can_move_article(user, action):
            out.append({"kind": kind, "label": ArticleEvent.Kind(kind).label})
    return out


@login_required
@require_POST
def staff_article_transition_view(request, pk: int, kind: str):
    article = access.article_get_for_user(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Biểu mẫu chưa hợp lệ; hãy tải lại trang rồi thử lại."))
        return redirect("portal:staff_article_edit", pk=pk)
    publish_at: datetime | None = form.cleaned_data.get("publish_at")
    try:
        services.article_transition(
            actor=request.user,
            article=article,
            kind=kind,
            expected_version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
            publish_at=publish_at,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if kind == ArticleEvent.Kind.APPROVE and article.publish_at > timezone.now():
            messages.success(
                request,
                _("Đã duyệt; bài sẽ tự xuất bản lúc %(at)s.")
                % {"at": timezone.localtime(article.publish_at).strftime("%d/%m/%Y %H:%M")},
            )
        else:
            messages.success(request, _("Đã chuyển trạng thái bài viết."))
    return redirect("portal:staff_article_edit", pk=pk)


@login_required
def staff_article_history_view(request, pk: int):
    article = access.article_get_for_user(request.user, pk)
    revisions = article.revisions.select_related("created_by")
    selected = None
    number = safe_ids([request.GET.get("v", "")])
    if number:
        selected = revisions.filter(number=number[0]).first()
    return render(
        request,
        "portal/staff/article_history.html",
        {
            "article": article,
            "revisions": revisions,
            "selected": selected,
            "events": article.events.select_related("actor"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_comment_queue_view(request):
    status = request.GET.get("status", Comment.Status.PENDING)
    if status not in Comment.Status.values:
        status = Comment.Status.PENDING
    queue = selectors.moderation_queue(user=request.user, status=status)
    if request.method == "POST":
        ids = safe_ids(request.POST.getlist("ids"))
        action = request.POST.get("action", "")
        if not ids:
            messages.error(request, _("Hãy chọn ít nhất một bình luận rồi chọn thao tác."))
        else:
            try:
                n = services.comments_moderate(
                    actor=request.user,
                    comments=Comment.objects.filter(pk__in=ids),
                    action=action,
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Đã xử lý %(n)s bình luận.") % {"n": n})
        return redirect(request.get_full_path())
    page = Paginator(queue, STAFF_PAGE).get_page(request.GET.get("page"))
    # Moderators see the email (to judge a commenter); the view is audited, like any display of
    # personal data.
    audit_record(
        actor=request.user,
        action="view",
        object_type="portal.comment",
        details={"queue": status, "count": len(page.object_list)},
    )
    return render(
        request,
        "portal/staff/comment_queue.html",
        {"page": page, "status": status, "statuses": Comment.Status.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_votes_view(request):
    require(request.user, Action.COMMENT_MODERATE)
    article = None
    article_id = safe_ids([request.GET.get("article", "")])
    if article_id:
        article = Article.objects.filter(pk=article_id[0]).first()
    if request.method == "POST":
        votes = Vote.objects.none()
        if request.POST.get("mode") == "range" and article is not None:
            try:
                # Typed with or without a time zone: a zone-aware value used to be a 500.
                start = parse_local_datetime(request.POST.get("start"), name="start")
                end = parse_local_datetime(request.POST.get("end"), name="end")
            except InvalidParameter:
                messages.error(request, _("Hãy nhập thời điểm bắt đầu và kết thúc hợp lệ."))
                return redirect(request.get_full_path())
            votes = Vote.objects.filter(article=article, created_at__gte=start, created_at__lte=end)
        else:
            ids = safe_ids(request.POST.getlist("ids"))
            votes = Vote.objects.filter(pk__in=ids)
        n = services.votes_void(
            actor=request.user, votes=votes, reason=request.POST.get("reason", "")
        )
        messages.success(
            request, _("Đã huỷ %(n)s lượt đánh giá; điểm đã được tính lại.") % {"n": n}
        )
        return redirect(request.get_full_path())
    votes = selectors.votes_for_moderation(user=request.user, article=article)
    page = Paginator(votes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/staff/votes.html",
        {
            "article": article,
            "page": page,
            "bursts": selectors.vote_bursts(user=request.user),
            "figures": selectors.article_figures(article=article) if article else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_settings_view(request):
    require(request.user, Action.COMMENT_MODERATE)
    row = PortalSettings.effective()
    form = PortalSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_settings_update(
                actor=request.user,
                **{k: form.cleaned_data[k] for k in services.SETTINGS_FIELDS},
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã lưu cài đặt kiểm duyệt."))
            return redirect("portal:staff_settings")
    return render(request, "portal/staff/settings.html", {"form": form})


@login_required
def staff_concern_list_view(request):
    """Concerns that still need a person: held for review, or not (yet) in case management. For
    the case-working staff of the concern's commune or province only (`access`)."""
    if not access.can_see_concerns(request.user):
        raise PermissionDenied
    qs = access.concerns_for_user(request.user)
    show = request.GET.get("xem", "")
    qs = (
        qs.filter(review=Concern.Review.DISMISSED)
        if show == "da-bo-qua"
        else selectors.concerns_open(qs)
    )
    page = Paginator(qs, STAFF_PAGE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action="view",
        object_type="portal.concern",
        details={"list": show or "open", "count": len(page.object_list)},
    )
    return render(
        request,
        "portal/staff/concern_list.html",
        {"page": page, "intake_available": intake_available(), "show": show},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_concern_detail_view(request, pk: int):
    concern = access.concern_get_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.concern_review(
                actor=request.user, concern=concern, decision=request.POST.get("decision", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu quyết định xem xét tin báo."))
        return redirect("portal:staff_concern_detail", pk=concern.pk)
    decisions = [
        {"value": d, "label": REVIEW_ACTION_LABELS[d]}
        for d in services.concern_review_choices(concern)
    ]
    return render(
        request,
        "portal/staff/concern_detail.html",
        {"concern": concern, "decisions": decisions, "hold_labels": _hold_labels(concern)},
    )


REVIEW_ACTION_LABELS = {
    Concern.Review.RELEASED: gettext_lazy("Chuyển thành tin báo để xử lý"),
    Concern.Review.DISMISSED: gettext_lazy("Bỏ qua (trùng lặp hoặc quấy rối)"),
}
HOLD_LABELS = {
    "honeypot": gettext_lazy("Ô ẩn dành cho máy bị điền"),
    "too_fast": gettext_lazy("Biểu mẫu được gửi quá nhanh"),
    "flood": gettext_lazy("Gửi liên tiếp từ cùng địa chỉ hoặc cùng người liên hệ"),
    "address_cap": gettext_lazy("Quá số tin báo cho phép từ một địa chỉ mạng"),
    "token_invalid": gettext_lazy("Biểu mẫu không hợp lệ hoặc đã hết hạn"),
    "token_reused": gettext_lazy("Biểu mẫu đã được dùng để gửi trước đó"),
}


def _hold_labels(concern: Concern) -> list[str]:
    return [str(HOLD_LABELS.get(r, r)) for r in concern.hold_reasons or []]
