"""Rich-text sanitising for article bodies, with nh3 (Rust's ammonia).

Run once, on save (`services.article_create`/`article_update`), so that the stored body is safe
to render as it stands. Allowed: structural and inline text tags, tables, figures and images;
links only to http, https and mailto. Scripts, styles, event handlers and every other attribute
are removed; external links get rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "small", "sub", "sup",
    "mark", "blockquote", "q", "cite", "code", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "img", "a",
    "abbr", "span",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Their content is dropped too, not only the tags.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}
EXTERNAL_REL = "noopener noreferrer nofollow"

_A_TAG = re.compile(r"<a\b([^>]*)>")
_HREF = re.compile(r'\bhref="([^"]*)"')


def _is_external(href: str) -> bool:
    parts = urlsplit(href.replace("&amp;", "&"))
    if parts.scheme == "mailto":
        return False
    if not parts.scheme and not parts.netloc:
        return False  # relative link inside the portal
    host = (parts.hostname or "").lower()
    own_hosts = {h.lower().lstrip(".") for h in getattr(settings, "PORTAL_OWN_HOSTS", [])}
    return host not in own_hosts


def _mark_external(match: re.Match) -> str:
    attrs = match.group(1)
    href = _HREF.search(attrs)
    if href and _is_external(href.group(1)):
        return '<a%s rel="%s">' % (attrs, EXTERNAL_REL)
    return match.group(0)


def clean_html(html: str) -> str:
    """Return the safe form of `html`. Idempotent: cleaning a clean body changes nothing."""
    cleaned = nh3.clean(
        html or "",
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    # ammonia re-serialises every attribute as name="value" with quotes escaped, so this pattern
    # sees each <a> exactly; `rel` is not an allowed attribute, so no other rel is present.
    return _A_TAG.sub(_mark_external, cleaned).strip()


def html_to_text(html: str) -> str:
    """Plain text of a body (for search and excerpts)."""
    text = nh3.clean(html or "", tags=set(), clean_content_tags=DROP_WITH_CONTENT)
    return (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
    )
