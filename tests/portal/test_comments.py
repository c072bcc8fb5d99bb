from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.portal.conftest import aged_ts, comment_data
from treem.portal import security, services
from treem.portal.models import Comment, CommenterStatus


def _post(article, data, addr="203.0.113.50", **extra):
    client = Client(REMOTE_ADDR=addr)
    return client.post(article.get_absolute_url() + "binh-luan/", data, **extra)


def _submit(article, **kw):
    defaults = {
        "name": "Lan",
        "email": "lan@example.org",
        "body": "Cảm ơn bài viết.",
        "ip_address": "203.0.113.60",
        "form_age": 30,
    }
    defaults.update(kw)
    return services.comment_submit(article=article, **defaults)


def test_first_comment_is_held_then_approval_publishes_the_next_at_once(
    article, moderator, cfg, anon_client
):
    response = _post(article, comment_data())
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reasons == ["first_comment"]
    assert comment.body not in anon_client.get(article.get_absolute_url()).content.decode()
    services.comments_moderate(
        actor=moderator, comments=Comment.objects.filter(pk=comment.pk), action="approve"
    )
    assert comment.body in anon_client.get(article.get_absolute_url()).content.decode()
    cfg.flood_interval_seconds = 0
    cfg.save()
    outcome = _submit(article, email="LAN.SECRET@example.org", body="Bình luận thứ hai.")
    assert outcome.status == "approved"


def test_too_many_links_are_held(article, cfg):
    CommenterStatus.objects.create(email_hash=security.email_hash("lan@example.org"))
    outcome = _submit(article, body="xem https://a.vn và http://b.vn và www.c.vn")
    assert outcome.status == "held" and "links" in outcome.reasons


def test_watch_list_words_are_held_and_block_list_words_rejected(article, cfg):
    CommenterStatus.objects.create(email_hash=security.email_hash("lan@example.org"))
    cfg.watch_words = "cá độ"
    cfg.block_words = "lừa đảo"
    cfg.flood_interval_seconds = 0
    cfg.save()
    held = _submit(article, body="Tham gia CA DO bóng đá ngay")
    assert held.status == "held" and "watch_word" in held.reasons
    with pytest.raises(ValidationError) as exc:
        _submit(article, body="Trang này lừa đảo")
    assert exc.value.code == "blocked"
    assert Comment.objects.count() == 1
    # A word inside another word is not a match.
    assert _submit(article, body="Con cáo độc").status == "approved"


def test_honeypot_is_discarded_silently(article, cfg):
    response = _post(article, comment_data(homepage="http://spam.example"))
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_form_sent_too_fast_or_without_timestamp_is_refused(article, cfg):
    assert _post(article, comment_data(ts=aged_ts(0))).status_code == 400
    assert _post(article, comment_data(ts="forged")).status_code == 400
    assert not Comment.objects.exists()


def test_flood_control_per_address_and_per_email(article, cfg):
    cfg.flood_interval_seconds = 60
    cfg.save()
    _submit(article, email="a@example.org", ip_address="203.0.113.70")
    with pytest.raises(ValidationError) as exc:
        _submit(article, email="b@example.org", ip_address="203.0.113.70")
    assert exc.value.code == "flood"
    with pytest.raises(ValidationError):
        _submit(article, email="a@example.org", ip_address="203.0.113.71")
    _submit(article, email="c@example.org", ip_address="203.0.113.72")
    Comment.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    _submit(article, email="a@example.org", ip_address="203.0.113.70")
    assert Comment.objects.count() == 3


def test_flood_message_is_shown_on_the_page(article, cfg):
    _post(article, comment_data())
    response = _post(article, comment_data(author_email="x@example.org"))
    assert response.status_code == 400
    assert "Hãy đợi" in response.content.decode()


def test_comments_close_after_the_set_number_of_days(make_article, cfg):
    cfg.comments_close_days = 30
    cfg.save()
    old = make_article("Bài cũ", days_ago=31, tags=())
    with pytest.raises(ValidationError) as exc:
        _submit(old)
    assert exc.value.code == "closed"
    assert "đã đóng bình luận" in Client().get(old.get_absolute_url()).content.decode()
    recent = make_article("Bài mới", days_ago=29, tags=())
    assert _submit(recent).status == "held"


def test_comments_disabled_on_an_article(make_article, cfg):
    article = make_article("Không bình luận", comments_enabled=False, tags=())
    with pytest.raises(ValidationError):
        _submit(article)


def test_replies_are_threaded_to_the_set_depth(article, cfg):
    cfg.reply_depth = 2
    cfg.flood_interval_seconds = 0
    cfg.save()
    CommenterStatus.objects.create(email_hash=security.email_hash("lan@example.org"))
    root = _submit(article).obj
    reply = _submit(article, parent_id=root.pk).obj
    assert (reply.parent_id, reply.depth) == (root.pk, 2)
    deeper = _submit(article, parent_id=reply.pk).obj
    assert (deeper.parent_id, deeper.depth) == (root.pk, 2)
    html = Client().get(article.get_absolute_url()).content.decode()
    assert 'class="comment-replies"' in html


def test_reply_to_a_held_comment_is_refused(article, cfg):
    held = _submit(article).obj
    with pytest.raises(ValidationError):
        _submit(article, parent_id=held.pk, email="b@example.org", ip_address="203.0.113.99")


def test_bulk_moderation_approve_spam_delete(article, moderator, cfg):
    cfg.flood_interval_seconds = 0
    cfg.save()
    ids = [_submit(article, email=f"u{i}@example.org").obj.pk for i in range(6)]
    qs = Comment.objects.filter
    assert (
        services.comments_moderate(actor=moderator, comments=qs(pk__in=ids[:2]), action="approve")
        == 2
    )
    services.comments_moderate(actor=moderator, comments=qs(pk__in=ids[2:4]), action="spam")
    services.comments_moderate(actor=moderator, comments=qs(pk__in=ids[4:]), action="delete")
    assert list(Comment.objects.order_by("pk").values_list("status", flat=True)) == [
        "approved",
        "approved",
        "spam",
        "spam",
    ]
    assert CommenterStatus.objects.filter(email_hash=security.email_hash("u0@example.org")).exists()
    assert not CommenterStatus.objects.filter(
        email_hash=security.email_hash("u2@example.org")
    ).exists()


def test_moderation_queue_bulk_action_by_form(article, moderator_client, cfg):
    cfg.flood_interval_seconds = 0
    cfg.save()
    ids = [_submit(article, email=f"q{i}@example.org").obj.pk for i in range(3)]
    page = moderator_client.get("/quan-tri/binh-luan/")
    assert page.status_code == 200
    assert "q0@example.org" in page.content.decode()  # moderators see it; the public never does
    response = moderator_client.post("/quan-tri/binh-luan/", {"ids": ids, "action": "approve"})
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}


def test_comment_queue_personas(client_for, anon_client, db):
    assert anon_client.get("/quan-tri/binh-luan/").status_code == 302
    assert client_for("bientap").get("/quan-tri/binh-luan/").status_code == 403
    assert client_for("canbo.a").get("/quan-tri/binh-luan/").status_code == 403
    assert client_for("kiemduyet").get("/quan-tri/binh-luan/").status_code == 200


def test_moderation_queue_has_bounded_queries(
    article, moderator, moderator_client, cfg, django_assert_max_num_queries
):
    cfg.flood_interval_seconds = 0
    cfg.save()
    root = _submit(article, email="root@example.org")
    services.comments_moderate(
        actor=moderator,
        comments=Comment.objects.filter(pk=root.obj.pk),
        action="approve",
    )
    for i in range(10):
        _submit(article, email=f"m{i}@example.org", parent_id=root.obj.pk)
    moderator_client.get("/quan-tri/binh-luan/")
    with django_assert_max_num_queries(20):
        moderator_client.get("/quan-tri/binh-luan/")


def test_reply_notification_only_if_asked_with_one_click_unsubscribe(
    article, moderator, cfg, django_capture_on_commit_callbacks
):
    cfg.flood_interval_seconds = 0
    cfg.save()
    for email in ("asked@example.org", "silent@example.org", "replier@example.org"):
        CommenterStatus.objects.create(email_hash=security.email_hash(email))
    asked = _submit(article, email="asked@example.org", notify_replies=True).obj
    silent = _submit(article, email="silent@example.org").obj
    with django_capture_on_commit_callbacks(execute=True):
        _submit(article, email="replier@example.org", parent_id=asked.pk, base_url="http://t/")
        _submit(article, email="replier@example.org", parent_id=silent.pk, base_url="http://t/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asked@example.org"]
    assert "replier@example.org" not in message.body
    link = next(line for line in message.body.splitlines() if "/binh-luan/huy-nhan-thu/" in line)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link.strip()}>"
    path = link.strip().removeprefix("http://t")
    assert Client().get(path).status_code == 200
    asked.refresh_from_db()
    assert asked.notify_replies is False
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(article, email="replier@example.org", parent_id=asked.pk, base_url="http://t/")
    assert mail.outbox == []


def test_bad_unsubscribe_token_is_refused(db, cfg):
    assert Client().get("/binh-luan/huy-nhan-thu/forged/").status_code == 400


def test_purge_clears_emails_and_addresses_after_retention(article, cfg):
    cfg.retention_days = 30
    cfg.flood_interval_seconds = 0
    cfg.save()
    old = _submit(article, email="old@example.org").obj
    new = _submit(article, email="new@example.org").obj
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert services.personal_data_purge() == {"comments": 1, "concerns": 0}
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.author_email, old.ip_address) == ("", None)
    assert old.email_hash  # approval and unsubscription still work
    assert new.author_email == "new@example.org"


def test_purge_command_runs(db, cfg):
    from django.core.management import call_command

    call_command("portal_purge")
