"""The public portal: articles with their editorial history, readers' votes and comments, the
moderation settings, and concerns about a child reported by the public.

Personal data kept here is the commenter's email and connection address and the concern reporter's
contact: none of it is ever rendered on a public page, and addresses and emails are cleared after
the retention period (`services.personal_data_purge`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    name = models.CharField(_("tên"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(_("tên"), max_length=80, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("thẻ")
        verbose_name_plural = _("thẻ")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        IN_REVIEW = "in_review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã xuất bản")
        UNPUBLISHED = "unpublished", _("Đã gỡ")

    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=220, unique=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="articles", verbose_name=_("chuyên mục")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("thẻ"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portal_articles",
        verbose_name=_("tác giả"),
    )
    cover_image = models.ImageField(
        _("ảnh bìa"), upload_to="portal/covers/%Y/%m/", blank=True, max_length=200
    )
    # Filled from the image itself when it is uploaded (`services.cover_store`): the page gives
    # the browser the size up front (no layout shift) and a `srcset` of the smaller copies.
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # [{"w": 480, "h": 270, "path": "portal/thumbs/..."}], smallest first.
    cover_thumbs = models.JSONField(default=list, blank=True, editable=False)
    cover_alt = models.CharField(
        _("mô tả ảnh bìa"),
        max_length=250,
        blank=True,
        help_text=_("Mô tả ngắn nội dung ảnh cho người dùng trình đọc màn hình."),
    )
    excerpt = models.TextField(_("tóm tắt"), max_length=600)
    # Sanitised HTML: every write goes through `sanitize.clean_html` in the service, so the
    # template may mark it safe.
    body = models.TextField(_("nội dung"))
    # Folded (accent- and case-insensitive) text of title, excerpt, tags and body, for search.
    search_text = models.TextField(editable=False, default="")
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("xuất bản lúc"),
        null=True,
        blank=True,
        help_text=_("Để trống để xuất bản ngay khi duyệt; chọn thời điểm sau để hẹn giờ."),
    )
    unpublish_at = models.DateTimeField(
        _("gỡ lúc"), null=True, blank=True, help_text=_("Để trống nếu bài không có hạn gỡ.")
    )
    comments_enabled = models.BooleanField(_("cho phép bình luận"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "publish_at"], name="portal_article_live")]
        constraints = [
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(unpublish_at__gt=models.F("publish_at")),
                name="portal_article_unpublish_after_publish",
            )
        ]
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:article", kwargs={"slug": self.slug})

    @property
    def cover_srcset(self) -> str:
        """`srcset` of the cover: its thumbnails and the cover itself, by width."""
        if not self.cover_image:
            return ""
        from django.core.files.storage import default_storage

        parts = ["%s %sw" % (default_storage.url(t["path"]), t["w"]) for t in self.cover_thumbs]
        if self.cover_width:
            parts.append("%s %sw" % (self.cover_image.url, self.cover_width))
        return ", ".join(parts)

    @property
    def card_image_url(self) -> str:
        """A mid-size copy for listing cards (the 640 px thumbnail when there is one)."""
        if not self.cover_image:
            return ""
        from django.core.files.storage import default_storage

        mid = [t for t in self.cover_thumbs if t["w"] >= 640]
        return default_storage.url(mid[0]["path"]) if mid else self.cover_image.url

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )


class ArticleRevision(models.Model):
    """A snapshot of an article after every change, so any earlier text can be read again."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("lần sửa"))
    title = models.CharField(_("tiêu đề"), max_length=200)
    excerpt = models.TextField(_("tóm tắt"))
    body = models.TextField(_("nội dung"))
    category_name = models.CharField(_("chuyên mục"), max_length=100)
    tag_names = models.JSONField(_("thẻ"), default=list)
    cover_alt = models.CharField(max_length=250, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Article.Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["article_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="portal_revision_unique_number"
            )
        ]
        verbose_name = _("phiên bản bài viết")
        verbose_name_plural = _("phiên bản bài viết")

    def __str__(self) -> str:
        return "%s v%s" % (self.article_id, self.number)


class ArticleEvent(models.Model):
    """One move of the editorial workflow: who, when, from which state to which."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Tạo bài")
        EDIT = "edit", _("Sửa bài")
        SUBMIT = "submit", _("Gửi duyệt")
        APPROVE = "approve", _("Duyệt và xuất bản")
        RETURN = "return", _("Trả lại để sửa")
        UNPUBLISH = "unpublish", _("Gỡ bài")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("sự kiện biên tập")
        verbose_name_plural = _("sự kiện biên tập")

    def __str__(self) -> str:
        return "%s %s" % (self.article_id, self.kind)


class PortalSettings(models.Model):
    """Moderation and abuse-protection settings, edited by moderators (one row).

    They are data, not code, because a moderator must be able to tighten them during a spam wave
    without a deployment. `effective()` returns the row, creating it with the defaults below.
    """

    reply_depth = models.PositiveSmallIntegerField(
        _("số tầng trả lời tối đa"),
        default=3,
        help_text=_("1 nghĩa là không cho trả lời bình luận."),
    )
    link_limit = models.PositiveSmallIntegerField(
        _("số liên kết tối đa trước khi giữ lại"), default=2
    )
    watch_words = models.TextField(
        _("từ cần xem xét (giữ lại chờ duyệt)"),
        blank=True,
        default="casino\ncá độ\nvay tiền nhanh\nkiếm tiền online",
        help_text=_("Mỗi dòng một từ hoặc cụm từ; không phân biệt dấu, hoa thường."),
    )
    block_words = models.TextField(
        _("từ bị cấm (từ chối bình luận)"),
        blank=True,
        default="viagra\nxxx",
        help_text=_("Mỗi dòng một từ hoặc cụm từ; không phân biệt dấu, hoa thường."),
    )
    comments_close_days = models.PositiveIntegerField(
        _("đóng bình luận sau (ngày)"), default=90, help_text=_("0 nghĩa là không bao giờ đóng.")
    )
    retention_days = models.PositiveIntegerField(
        _("giữ email và địa chỉ IP trong (ngày)"), default=90
    )
    flood_interval_seconds = models.PositiveIntegerField(
        _("khoảng cách tối thiểu giữa hai lần gửi (giây)"), default=30
    )
    min_fill_seconds = models.PositiveIntegerField(
        _("thời gian điền biểu mẫu tối thiểu (giây)"), default=3
    )
    votes_per_hour = models.PositiveIntegerField(
        _("số lượt đánh giá tối đa mỗi giờ từ một địa chỉ"), default=30
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cài đặt kiểm duyệt")
        verbose_name_plural = _("cài đặt kiểm duyệt")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def effective(cls) -> PortalSettings:
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    @staticmethod
    def _words(text: str) -> list[str]:
        from treem.lib.text import fold

        return [w for w in (fold(line) for line in text.splitlines()) if w]

    @property
    def watch_list(self) -> list[str]:
        return self._words(self.watch_words)

    @property
    def block_list(self) -> list[str]:
        return self._words(self.block_words)


class Vote(models.Model):
    """One reader's star rating of one article. Every vote is a row, so a burst can be voided and
    the figures are always an aggregate of the live rows."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    stars = models.PositiveSmallIntegerField(_("số sao"))
    # Random token kept in the reader's signed cookie.
    voter_token = models.CharField(max_length=32)
    # HMAC of the connection address with a server-side salt: the address itself is not kept.
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    voided_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ip_hash", "updated_at"], name="portal_vote_ip_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="portal_vote_stars_1_to_5"
            ),
            # One live vote per reader per article, the reader being their own cookie. Not per
            # address: a school, an office or a mobile network puts many readers behind one
            # address, and each of them has their own vote (the address only rate-limits).
            models.UniqueConstraint(
                fields=["article", "voter_token"],
                condition=Q(voided_at__isnull=True),
                name="portal_vote_one_per_token",
            ),
        ]
        verbose_name = _("lượt đánh giá")
        verbose_name_plural = _("lượt đánh giá")

    def __str__(self) -> str:
        return "%s: %s" % (self.article_id, self.stars)


class CommenterStatus(models.Model):
    """Which commenters a moderator has approved, by keyed hash of the email, so approval
    survives the purge of the emails themselves."""

    email_hash = models.CharField(max_length=64, unique=True)
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("người bình luận đã duyệt")
        verbose_name_plural = _("người bình luận đã duyệt")

    def __str__(self) -> str:
        return self.email_hash[:12]


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã đăng")
        SPAM = "spam", _("Thư rác")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    # Deleting a comment deletes the replies to it: a reply makes no sense without its parent.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    author_name = models.CharField(_("tên"), max_length=80)
    # Never published. Cleared after the retention period; `email_hash` stays for approval and
    # unsubscription.
    author_email = models.EmailField(_("email"), blank=True)
    email_hash = models.CharField(max_length=64, db_index=True)
    author_website = models.URLField(_("trang web"), blank=True, max_length=200)
    body = models.TextField(_("bình luận"), max_length=4000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    hold_reasons = models.JSONField(default=list, blank=True)
    notify_replies = models.BooleanField(_("báo cho tôi khi có trả lời"), default=False)
    # Cleared after the retention period.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status"], name="portal_comment_article"),
            models.Index(fields=["ip_address", "created_at"], name="portal_comment_ip_recent"),
        ]
        verbose_name = _("bình luận")
        verbose_name_plural = _("bình luận")

    def __str__(self) -> str:
        return "%s #%s" % (self.author_name, self.pk)


class Concern(models.Model):
    """A concern about a child reported through the public form.

    Case management picks it up through `treem.protection.intake.report_from_concern`; until it
    has (forwarded_at empty) the concern is listed to the commune's workers by the portal itself,
    so it always reaches a person.
    """

    class Review(models.TextChoices):
        NONE = "none", _("Không cần xem xét")
        WAITING = "waiting", _("Chờ cán bộ xem xét")
        RELEASED = "released", _("Đã xem xét, chuyển xử lý")
        DISMISSED = "dismissed", _("Đã xem xét, không tạo tin báo")

    class IntakeStatus(models.TextChoices):
        PENDING = "pending", _("Chờ chuyển")
        FORWARDED = "forwarded", _("Đã chuyển sang quản lý ca")
        FAILED = "failed", _("Chuyển lỗi, sẽ thử lại")

    tracking_code = models.CharField(max_length=14, unique=True)
    what_happened = models.TextField(_("chuyện gì đã xảy ra"), max_length=5000)
    province = models.ForeignKey(
        "geo.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh, thành phố"),
    )
    commune = models.ForeignKey(
        "geo.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường")
    )
    village = models.ForeignKey(
        "geo.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, ấp, khu phố"),
    )
    happened_on = models.DateField(_("ngày xảy ra"), null=True, blank=True)
    child_description = models.TextField(_("tên hoặc đặc điểm của trẻ"), blank=True)
    reporter_name = models.CharField(_("tên người báo tin"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("email"), blank=True)
    is_anonymous = models.BooleanField(_("báo tin ẩn danh"), default=False)
    is_held = models.BooleanField(_("cần xem xét thêm"), default=False)
    hold_reasons = models.JSONField(default=list, blank=True)
    # A concern that tripped an abuse protection (too many from one address, a form token used
    # twice, a bot trap) waits for a person instead of becoming a case: kept, never dropped.
    review = models.CharField(
        _("xem xét"), max_length=10, choices=Review.choices, default=Review.NONE
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The nonce of the signed form token the concern came with (empty when none or forged).
    form_nonce = models.CharField(max_length=32, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    intake_status = models.CharField(
        max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.PENDING
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)
    intake_attempts = models.PositiveSmallIntegerField(default=0)
    intake_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["forwarded_at"], name="portal_concern_unforwarded"),
            models.Index(fields=["ip_address", "created_at"], name="portal_concern_ip_recent"),
        ]
        verbose_name = _("tin báo về trẻ em")
        verbose_name_plural = _("tin báo về trẻ em")

    def __str__(self) -> str:
        return self.tracking_code


class ConcernFormUse(models.Model):
    """The nonce of each signed concern-form token already used: a token is good for one
    submission; the primary key makes a second use fail even when two arrive at once."""

    nonce = models.CharField(max_length=32, primary_key=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mã biểu mẫu đã dùng")
        verbose_name_plural = _("mã biểu mẫu đã dùng")

    def __str__(self) -> str:
        return self.nonce


class ArticleRating(models.Model):
    """How many live votes an article has and how many stars they give in all, kept by the
    database's own triggers on the votes (`treem.portal.ratings`): always the aggregate of the
    live `Vote` rows, read in one row instead of summed on every vote."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="rating"
    )
    votes = models.IntegerField(_("lượt đánh giá"), default=0)
    stars_total = models.BigIntegerField(_("tổng số sao"), default=0)

    class Meta:
        verbose_name = _("điểm đánh giá của bài viết")
        verbose_name_plural = _("điểm đánh giá của bài viết")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.votes}"


class ArticleViews(models.Model):
    """How many times the public read an article on one day. The reads are counted in the shared
    cache as they happen (`treem.portal.readcount`), cached pages included, and added here by
    `readcount.flush` (the `portal_flush_views` command, or the task of the same name)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="daily_views")
    day = models.DateField(_("ngày"))
    count = models.PositiveBigIntegerField(_("lượt xem"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="portal_views_one_row_a_day")
        ]
        verbose_name = _("lượt xem trong ngày")
        verbose_name_plural = _("lượt xem trong ngày")

    def __str__(self) -> str:
        return "%s %s: %s" % (self.article_id, self.day, self.count)
