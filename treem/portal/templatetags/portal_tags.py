"""Template helpers of the public portal."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from treem.lib.text import fold

register = template.Library()

_WORD = re.compile(r"\w+")


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, with every word that contains one of the query's words wrapped in <mark>.

    Matching folds diacritics and case like the search itself (`treem.lib.text.fold`), so
    *cham soc* marks *chăm sóc* as typed in the article."""
    text = str(text or "")
    words = [w for w in fold(query or "").split() if w]
    if not words:
        return escape(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        token = match.group(0)
        if any(w in fold(token) for w in words):
            out.append(escape(text[last : match.start()]))
            out.append("<mark>%s</mark>" % escape(token))
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above
