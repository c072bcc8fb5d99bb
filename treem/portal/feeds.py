"""RSS and Atom feeds of the latest live articles: title, link, excerpt, category, author name.
Nothing from readers (votes, comments) ever goes into a feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from treem.portal import selectors

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    title = _("Cổng thông tin Bảo vệ Trẻ em: bài mới")
    link = reverse_lazy("portal:home")
    description = _("Tin tức và hướng dẫn về chăm sóc, giáo dục và bảo vệ trẻ em.")

    def items(self):
        return selectors.live_articles().prefetch_related("tags")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.excerpt

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.author)

    def item_categories(self, item):
        return [item.category.name, *(t.name for t in item.tags.all())]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
