"""Background work of the portal (Django's tasks framework)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from treem.portal import security


@task()
def forward_concern(concern_id: int) -> bool:
    from treem.portal.services import concern_forward

    return concern_forward(concern_id=concern_id)


@task()
def forward_pending_concerns() -> dict:
    """Retry: hand to case management every concern not yet forwarded."""
    from treem.portal.services import concerns_forward_pending

    return concerns_forward_pending()


@task()
def purge_personal_data() -> dict:
    from treem.portal.services import personal_data_purge

    return personal_data_purge()


@task()
def send_reply_notification(comment_id: int, base_url: str) -> bool:
    from treem.portal.models import Comment

    reply = Comment.objects.select_related("parent", "article").filter(pk=comment_id).first()
    if reply is None or reply.parent is None or reply.status != Comment.Status.APPROVED:
        return False
    parent = reply.parent
    if not parent.notify_replies or not parent.author_email:
        return False
    base = (base_url or getattr(settings, "PORTAL_BASE_URL", "http://localhost:8000")).rstrip("/")
    token = security.unsubscribe_token(parent.email_hash)
    unsubscribe_url = base + reverse("portal:unsubscribe", kwargs={"token": token})
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "portal/email/reply_notification.txt",
            {
                "parent": parent,
                "reply": reply,
                "article_url": f"{base}{reply.article.get_absolute_url()}#binh-luan-{reply.pk}",
                "unsubscribe_url": unsubscribe_url,
            },
        )
        subject = _("Có người trả lời bình luận của bạn: %(title)s") % {
            "title": reply.article.title
        }
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[parent.author_email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True


@task()
def flush_article_views() -> int:
    """Move the article reads counted in the cache into the database (run every few minutes)."""
    from treem.portal.readcount import flush

    return flush()
