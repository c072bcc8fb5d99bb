from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from treem.portal import selectors


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return selectors.live_articles()

    def lastmod(self, item):
        return item.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return list(selectors.categories())

    def location(self, item):
        return reverse("portal:category", kwargs={"slug": item.slug})


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["portal:home", "portal:concern"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"articles": ArticleSitemap, "categories": CategorySitemap, "pages": PageSitemap}
