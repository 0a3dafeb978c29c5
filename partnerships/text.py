"""Sentences put together from parts, as the reader's language puts them together.

A list is "a, b and c" in English, "a, b i c" in Polish and "א, ב וג" in Hebrew, whose "and" is a
prefix of the last item: so the whole pattern is the translator's, not only the word "and".
"""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext


def join_list(items):
    """`items` (text) as one list in the active language: "Name, Description and Image"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    # Translators: the separator between the items of a list but the last one, "a, b and c".
    head = gettext(", ").join(items[:-1])
    # Translators: the end of a list, "a, b and c": %(list)s is "a, b", %(last)s is "c".
    return gettext("%(list)s and %(last)s") % {"list": head, "last": items[-1]}


def html_message(message, **params):
    """A translated message with %(name)s parameters, as HTML: the message and the parameters
    are escaped, except a parameter that is HTML already (a name marked with its language)."""
    escaped = {name: conditional_escape(value) for name, value in params.items()}
    return mark_safe(conditional_escape(message) % escaped)  # nosec B308 B703: all escaped


def format_list(items):
    """join_list() for HTML items (each escaped unless it is HTML already)."""
    items = list(items)
    if len(items) < 2:
        return mark_safe("".join(conditional_escape(item) for item in items))  # nosec B308 B703
    head = conditional_escape(gettext(", ")).join(conditional_escape(item) for item in items[:-1])
    return html_message(gettext("%(list)s and %(last)s"), list=mark_safe(head), last=items[-1])  # nosec B308 B703
