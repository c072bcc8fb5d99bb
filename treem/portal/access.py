"""Who may see and do what in the portal: the one door for its objects.

Views, the API, the dashboard card and the templates ask this module and nowhere else.

- Articles in the editorial pipeline (drafts, in review, taken down): editors and moderators
  (`Action.ARTICLE_APPROVE`); writing needs `Action.ARTICLE_EDIT`.
- Comments under moderation and votes: moderators (`Action.COMMENT_MODERATE`).
- Concerns sent by the public carry a reporter's name and phone and a description of a child.
  Decree 56/2017/NĐ-CP Art. 25 sends a report to the commune where it happened, so the portal's
  concern queue is for the staff who work cases (`Action.CASE_WORK`: commune workers and
  chairmen, provincial specialists) of the concern's commune or province. Partner agencies
  (police, schools...) hold the right to *report* (`CASE_RECEIVE`) but see only the referrals sent
  to them, in case management, never this queue; village collaborators neither. Every display of a
  concern is written to the audit log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from treem.accounts.jurisdiction import Level, scope_queryset
from treem.accounts.policy import Action, can
from treem.audit.services import audit_record
from treem.portal.models import Article, Comment, Concern

# Jurisdiction levels whose staff may read the concern queue: commune staff and the province.
_CONCERN_LEVELS = (Level.COMMUNE, Level.PROVINCE)


# --- Articles ---------------------------------------------------------------------------------


def can_see_editorial(user) -> bool:
    return can(user, Action.ARTICLE_APPROVE)


def can_edit_articles(user) -> bool:
    return can(user, Action.ARTICLE_EDIT)


def can_move_article(user, action: Action) -> bool:
    """Whether the user holds the right a workflow move of the transition table requires."""
    return can(user, action)


def article_get_for_user(user, pk: int) -> Article:
    """An article at any stage, for the editorial pages: 403 for a role without the editorial
    right, 404 for an unknown article."""
    if not can_see_editorial(user):
        raise PermissionDenied
    article = (
        Article.objects.select_related("category", "author")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404
    return article


# --- Comments and votes -----------------------------------------------------------------------


def can_moderate(user) -> bool:
    return can(user, Action.COMMENT_MODERATE)


def comments_for_moderation(user) -> QuerySet[Comment]:
    """Every comment (all states) for a moderator; nothing for anyone else."""
    if not can_moderate(user):
        return Comment.objects.none()
    return Comment.objects.all()


# --- Concerns ---------------------------------------------------------------------------------


def can_see_concerns(user) -> bool:
    """Case-working staff of a commune or of the province; never partners or collaborators."""
    return can(user, Action.CASE_WORK) and user.jurisdiction.level in _CONCERN_LEVELS


def concerns_for_user(user) -> QuerySet[Concern]:
    """Concerns inside the user's jurisdiction, for the staff who may see them; none otherwise."""
    if not can_see_concerns(user):
        return Concern.objects.none()
    qs = Concern.objects.select_related("province", "commune", "village")
    return scope_queryset(qs, user.jurisdiction, commune_field="commune", village_field="village")


def concern_get_for_user(user, pk: int) -> Concern:
    """One concern, scoped by role and jurisdiction (404 outside), with the read audited."""
    concern = concerns_for_user(user).filter(pk=pk).first()
    if concern is None:
        raise Http404
    audit_record(actor=user, action="view", obj=concern)
    return concern
