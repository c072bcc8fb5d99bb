from django.urls import path

from treem.portal import api

urlpatterns = [
    path("articles/", api.ArticleList.as_view(), name="portal_article_list"),
    path("articles/<slug:slug>/", api.ArticleDetail.as_view(), name="portal_article_detail"),
    path(
        "articles/<slug:slug>/comments/",
        api.ArticleComments.as_view(),
        name="portal_article_comments",
    ),
]
