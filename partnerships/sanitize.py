"""The small HTML subset editors may use in rich texts, and the one place that enforces it.

Rich texts are partner descriptions, relationship summaries, the section texts of relationship
kinds, the introduction and body of pages, the text of the office's pages, association
descriptions and event summaries, in every language. They may contain:

    <p> <br> <strong> <em> <b> <i>        paragraphs, line breaks, emphasis
    <ul> <ol> <li>                         lists
    <blockquote>                           quotations
    <h2> <h3>                              headings inside a page's text
    <a href="..." title="...">             links to http(s), mailto: and tel: addresses

Everything else is removed: other tags (their text stays), every other attribute (style, class,
event handlers), comments, and <script>/<style> together with their content. Links get
rel="noopener noreferrer". Plain text needs no markup at all: blank lines make paragraphs.

Texts are cleaned twice: when saved (so the database and every export hold only the subset) and
when rendered by the `rich_text` filter (so that text that reached the database without save(),
such as a bulk import, is just as inert).
"""

import nh3
from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver

from .exchanges.models import Association, Event
from .models import OfficePage, Page, Partner, Relationship, RelationshipKind

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The rich-text fields of each model; each is stored once per language by modeltranslation.
RICH_TEXT_FIELDS = {
    Partner: ("description",),
    Relationship: ("summary",),
    RelationshipKind: ("section_text",),
    Page: ("introduction", "body"),
    Association: ("description",),
    Event: ("summary",),
    OfficePage: ("body",),
}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    strip_comments=True,
    link_rel="noopener noreferrer",
)


def clean_html(html):
    """Return `html` reduced to the allowed subset; text is escaped, never interpreted."""
    return _cleaner.clean(html)


def clean_rich_text(value):
    """The value to store for an editor's text.

    Text without any tag is kept exactly as written ("Handel & Wandel", "a < b"), so the editor
    sees their own words again in the form and in exports; the `rich_text` filter escapes it
    when it is shown. Text with markup is reduced to the allowed subset.
    """
    if not value or not nh3.is_html(value):
        return value
    return clean_html(value)


def translated_field_names(field):
    """`description` -> description_de, description_en, description_he (one per language)."""
    return [f"{field}_{code.replace('-', '_')}" for code, _name in settings.LANGUAGES]


@receiver(pre_save)
def sanitize_rich_text(sender, instance, **kwargs):
    """Clean every language's copy of a rich-text field before it is written."""
    for field in RICH_TEXT_FIELDS.get(sender, ()):
        for name in translated_field_names(field):
            value = getattr(instance, name, None)
            if isinstance(value, str):
                setattr(instance, name, clean_rich_text(value))
