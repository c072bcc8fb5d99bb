import pytest

from treem.portal.sanitize import EXTERNAL_REL, clean_html


def test_scripts_are_removed_with_their_content():
    out = clean_html("<p>Xin chào</p><script>alert('x')</script><SCRIPT src=//evil.js></SCRIPT>")
    assert "script" not in out.lower()
    assert "alert" not in out
    assert "<p>Xin chào</p>" in out


@pytest.mark.parametrize(
    "html",
    [
        '<p onclick="steal()">a</p>',
        '<img src="x.png" onerror="steal()">',
        '<a href="/x" onmouseover="steal()">a</a>',
        '<svg onload="steal()"></svg>',
        '<body onload="steal()">a</body>',
    ],
)
def test_event_handlers_are_removed(html):
    out = clean_html(html)
    assert "steal" not in out
    assert "onload" not in out and "onclick" not in out and "onerror" not in out


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x"]
)
def test_only_safe_link_schemes_survive(href):
    out = clean_html(f'<a href="{href}">bấm</a>')
    assert "href" not in out


def test_external_links_get_noopener_noreferrer_nofollow_and_internal_do_not():
    out = clean_html(
        '<a href="https://example.org/x" rel="opener" target="_blank">ngoài</a>'
        '<a href="/bai-viet/a/">trong</a><a href="mailto:a@b.vn">thư</a>'
    )
    assert f'<a href="https://example.org/x" rel="{EXTERNAL_REL}">ngoài</a>' in out
    assert '<a href="/bai-viet/a/">trong</a>' in out
    assert '<a href="mailto:a@b.vn">thư</a>' in out
    assert "target" not in out and "opener" not in out.replace("noopener", "")


def test_style_iframe_and_unknown_attributes_are_removed():
    out = clean_html(
        '<p style="position:fixed" class="x" id="y">a</p><iframe src="//x"></iframe>'
        "<style>p{}</style>"
    )
    assert out == "<p>a</p>"


def test_cleaning_is_idempotent():
    once = clean_html('<p>a <a href="https://x.vn/?a=1&b=2">x</a></p><ul><li>b</li></ul>')
    assert clean_html(once) == once


def test_article_body_is_sanitised_on_save(make_article):
    article = make_article(body='<p onclick="x()">Nội dung</p><script>alert(1)</script>')
    article.refresh_from_db()
    assert article.body == "<p>Nội dung</p>"
    assert article.revisions.first().body == "<p>Nội dung</p>"
