"""Public, read-only API of the portal: live articles, their figures and approved comments.
A commenter's email is not a field of any serializer here."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from treem.core.api import ErrorSerializer
from treem.portal import selectors
from treem.portal.models import Article, Comment


class ArticleListOut(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name")
    category_slug = serializers.CharField(source="category.slug")
    tags = serializers.SerializerMethodField()
    author_name = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    class Meta:
        model = Article
        fields = [
            "slug",
            "title",
            "excerpt",
            "category",
            "category_slug",
            "tags",
            "author_name",
            "publish_at",
            "updated_at",
            "url",
        ]

    def get_tags(self, obj) -> list[str]:
        return [t.name for t in obj.tags.all()]

    def get_author_name(self, obj) -> str:
        return str(obj.author)


class FiguresOut(serializers.Serializer):
    average = serializers.FloatField(allow_null=True)
    votes = serializers.IntegerField()
    comments = serializers.IntegerField()


class ArticleDetailOut(ArticleListOut):
    body = serializers.CharField()
    cover_alt = serializers.CharField()
    figures = serializers.SerializerMethodField()

    class Meta(ArticleListOut.Meta):
        fields = [*ArticleListOut.Meta.fields, "body", "cover_alt", "figures"]

    @extend_schema_field(FiguresOut)
    def get_figures(self, obj) -> dict:
        f = selectors.article_figures(article=obj)
        return {"average": f.average, "votes": f.votes, "comments": f.comments}


class CommentOut(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ["id", "parent", "depth", "author_name", "author_website", "body", "created_at"]


class _Public:
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]


@extend_schema(tags=["portal"], responses={200: ArticleListOut(many=True)})
class ArticleList(_Public, generics.ListAPIView):
    serializer_class = ArticleListOut

    def get_queryset(self):
        return selectors.article_list_public()


@extend_schema(
    tags=["portal"],
    responses={200: ArticleDetailOut, 404: OpenApiResponse(ErrorSerializer)},
)
class ArticleDetail(_Public, generics.RetrieveAPIView):
    serializer_class = ArticleDetailOut

    def get_object(self):
        return selectors.article_get_public(slug=self.kwargs["slug"])


@extend_schema(
    tags=["portal"],
    responses={200: CommentOut(many=True), 404: OpenApiResponse(ErrorSerializer)},
)
class ArticleComments(_Public, generics.ListAPIView):
    serializer_class = CommentOut

    def get_queryset(self):
        article = selectors.article_get_public(slug=self.kwargs["slug"])
        return Comment.objects.filter(article=article, status=Comment.Status.APPROVED).order_by(
            "created_at", "id"
        )
