"""The public portal at the site root; editors' and moderators' pages under quan-tri/."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from treem.portal import feeds, staff_views, views
from treem.portal.sitemaps import SITEMAPS

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("chuyen-muc/<slug:slug>/", views.category_view, name="category"),
    path("the/<slug:slug>/", views.tag_view, name="tag"),
    path("tim-kiem/", views.search_view, name="search"),
    path("bai-viet/<slug:slug>/", views.article_view, name="article"),
    path("bai-viet/<slug:slug>/danh-gia/", views.article_rate_view, name="article_rate"),
    path("bai-viet/<slug:slug>/binh-luan/", views.article_comment_view, name="article_comment"),
    path("binh-luan/huy-nhan-thu/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("bao-tin/", views.concern_view, name="concern"),
    path("bao-tin/xa/", views.concern_communes_view, name="concern_communes"),
    path("bao-tin/thon/", views.concern_villages_view, name="concern_villages"),
    path("bao-tin/da-gui/", views.concern_received_view, name="concern_received"),
    path("tra-cuu/", views.tracking_view, name="tracking"),
    path("rss.xml", feeds.LatestArticlesFeed(), name="feed_rss"),
    path("atom.xml", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_view, name="robots"),
    # MEDIA_URL is "media/": only the portal's public covers have a route under it.
    path(
        "media/portal/<str:kind>/<path:name>",
        views.public_media_view,
        name="public_media",
    ),
    # Staff
    path("quan-tri/", staff_views.staff_home_view, name="staff_home"),
    path("quan-tri/bai-viet/", staff_views.staff_article_list_view, name="staff_article_list"),
    path(
        "quan-tri/bai-viet/moi/",
        staff_views.staff_article_create_view,
        name="staff_article_create",
    ),
    path(
        "quan-tri/bai-viet/<int:pk>/",
        staff_views.staff_article_edit_view,
        name="staff_article_edit",
    ),
    path(
        "quan-tri/bai-viet/<int:pk>/lich-su/",
        staff_views.staff_article_history_view,
        name="staff_article_history",
    ),
    path(
        "quan-tri/bai-viet/<int:pk>/chuyen/<str:kind>/",
        staff_views.staff_article_transition_view,
        name="staff_article_transition",
    ),
    path("quan-tri/binh-luan/", staff_views.staff_comment_queue_view, name="staff_comments"),
    path("quan-tri/danh-gia/", staff_views.staff_votes_view, name="staff_votes"),
    path("quan-tri/cai-dat/", staff_views.staff_settings_view, name="staff_settings"),
    path("quan-tri/tin-bao/", staff_views.staff_concern_list_view, name="staff_concerns"),
    path(
        "quan-tri/tin-bao/<int:pk>/",
        staff_views.staff_concern_detail_view,
        name="staff_concern_detail",
    ),
]
