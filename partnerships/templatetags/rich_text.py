"""How editor-written texts (descriptions, page texts) become HTML on the public pages."""

import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

from ..sanitize import clean_html

register = template.Library()

# An editor who writes one of these has structured the text; we do not add paragraphs then.
BLOCK_TAG_RE = re.compile(r"<\s*(p|ul|ol|blockquote|h2|h3)[\s>/]", re.IGNORECASE)


@register.filter(is_safe=True)
def rich_text(value):
    """The text as HTML of the documented subset (see partnerships/sanitize.py).

    Plain text gets paragraphs from blank lines and line breaks from single newlines; markup
    outside the subset is removed and anything else is escaped, so nothing in a text can run,
    whether or not it was cleaned when saved.
    """
    if not value:
        return ""
    text = normalize_newlines(str(value)).strip()
    if not BLOCK_TAG_RE.search(text):
        paragraphs = re.split(r"\n{2,}", text)
        text = "\n\n".join(
            "<p>{}</p>".format(paragraph.strip().replace("\n", "<br>"))
            for paragraph in paragraphs
            if paragraph.strip()
        )
    # nh3 has just reduced the text to the allowed subset.
    return mark_safe(clean_html(text))  # nosec B308 B703
