import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_path, get_language_info
from modeltranslation.utils import build_localized_fieldname

from partnerships import fallbacks

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every configured language, for the switcher and hreflang links.

    The query string is kept, so a filtered directory stays filtered in the other language.
    """
    request = context["request"]
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        url = path_in_language(request, code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_default": code == settings.LANGUAGE_CODE,
            }
        )
    return links


def path_in_language(request, code):
    """This request's address in the language `code`: on this host, whatever the path.

    A page of the site through translate_url; any other address (a 404) by swapping its
    language prefix, so that a 404's links lead to the same address in the other language.
    Runs of slashes are made one first: "//other-host/..." would otherwise be read as another
    host's address, by translate_url and by every browser (and no page of ours has "//").
    """
    path = re.sub(r"/{2,}", "/", "/" + request.path)
    query = request.META.get("QUERY_STRING", "")
    full_path = path + (f"?{query}" if query else "")
    url = translate_url(full_path, code)
    if url != full_path or code == get_language_from_path(path):
        return url
    current = get_language_from_path(path)
    rest = path[len(current) + 1 :] if current else path
    return f"/{code}/{rest.lstrip('/')}" + (f"?{query}" if query else "")


@register.simple_tag
def footer_pages():
    """The pages every page links to (Page.LINKED_FROM_EVERY_PAGE): label and address.

    No query: the label is the page's name, so a page without its texts is never left out.
    """
    from partnerships.models import Page

    return [
        {"label": Page.Key(key).label, "url": reverse(f"partnerships:{key}")}
        for key in Page.LINKED_FROM_EVERY_PAGE
    ]


@register.simple_tag(takes_context=True)
def office_pages(context, placement):
    """The office's published pages shown at `placement` (navigation or overview), in order.

    One query for every page's navigation and the overview's links together: the list is read
    once per request and kept on it. Only what a link needs (title in every language, slug).
    """
    from partnerships.models import OfficePage

    request = context.get("request")
    pages = getattr(request, "_office_pages", None)
    if pages is None:
        titles = [build_localized_fieldname("title", code) for code, _name in settings.LANGUAGES]
        pages = list(OfficePage.objects.published().only("slug", "placement", "order", *titles))
        if request is not None:
            request._office_pages = pages
    return [page for page in pages if page.placement == placement]


@register.filter
def lang_attrs(obj, field):
    """` lang=".." dir=".."` for an element showing a text in a fallback language, else ""."""
    code = fallbacks.fallback_language(obj, field)
    if not code:
        return ""
    return format_html(' lang="{}" dir="{}"', code, fallbacks.language_attrs(code)["dir"])


@register.filter
def jsonld(data):
    """schema.org data as a <script type="application/ld+json">, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for char, escape in (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    # Safe: JSON whose <, > and & are escaped cannot close the script element or open a tag.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # nosec B308 B703


@register.simple_tag
def admin_languages():
    """Each configured language's own name and direction, for the admin's language switch."""
    languages = {}
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages[code] = {"name": info["name_local"], "dir": "rtl" if info["bidi"] else "ltr"}
    return languages
