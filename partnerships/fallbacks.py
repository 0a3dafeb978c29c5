"""Which parts of a page are shown in another language than the reader's, said once per page.

modeltranslation shows the fallback language's text (German) where the reader's is empty. Each
such text keeps its own `lang` and `dir` (the `lang_attrs` filter), and the page says, in one
note before its content, which parts are in which language: a note after every text repeated
itself eight times on the overview and came after the text it was about.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info, gettext
from modeltranslation.utils import build_localized_fieldname, resolution_order

from .text import format_list


def fallback_language(obj, field_name):
    """The code of the language `obj.field_name` is shown in when it is not the reader's, else
    None (also when no language has a text)."""
    current = get_language()
    if getattr(obj, build_localized_fieldname(field_name, current), None):
        return None
    for code in resolution_order(current)[1:]:
        if getattr(obj, build_localized_fieldname(field_name, code), None):
            return code
    return None


def language_attrs(code):
    """The `lang` and `dir` of a language, as a dict for templates and format_html."""
    info = get_language_info(code)
    return {"code": code, "dir": "rtl" if info["bidi"] else "ltr", "name": info["name_translated"]}


def in_language(text, code):
    """`text` marked as written in `code`, for a name quoted in a sentence of another language."""
    attrs = language_attrs(code)
    return format_html('<span lang="{}" dir="{}">{}</span>', code, attrs["dir"], text)


def text_in_its_language(obj, field_name):
    """The text of `obj.field_name` as the page shows it, marked with its language if that is a
    fallback one (for a name quoted in a part's label: “Partnerstädte”)."""
    text = getattr(obj, field_name)
    code = fallback_language(obj, field_name)
    return in_language(text, code) if code else text


@dataclass
class FallbackLanguage:
    code: str
    dir: str
    name: str
    parts: list = field(default_factory=list)

    @property
    def parts_text(self):
        return format_list(self.parts)


@dataclass
class FallbackNote:
    """The parts of one page and the language each is shown in, collected by its view.

    `add(label, (obj, field), ...)`: a part of the page (its introduction, a section) made of
    these texts; it counts as shown in a fallback language if one of its texts is.
    """

    languages: dict = field(default_factory=dict)
    native_parts: int = 0

    def add(self, label, *texts):
        present = [(obj, name) for obj, name in texts if obj is not None and getattr(obj, name)]
        if not present:
            return
        for obj, name in present:
            code = fallback_language(obj, name)
            if code:
                if code not in self.languages:
                    attrs = language_attrs(code)
                    self.languages[code] = FallbackLanguage(code, attrs["dir"], attrs["name"])
                parts = self.languages[code].parts
                if label not in parts:
                    parts.append(label)
                return
        self.native_parts += 1

    @property
    def fallbacks(self):
        return list(self.languages.values())

    @property
    def whole_page(self):
        """Every part of the page is in another language (one): the note need not list them."""
        return self.native_parts == 0 and len(self.languages) == 1

    def __bool__(self):
        return bool(self.languages)


def event_parts(note, events):
    """The exchanges and events a page lists, as one part of its note."""
    texts = [(event, name) for event in events for name in ("title", "summary", "place")]
    note.add(gettext("the events"), *texts)


def association_parts(note, associations):
    """The associations a page lists, as one part of its note."""
    texts = [
        (association, name) for association in associations for name in ("name", "description")
    ]
    note.add(gettext("the associations"), *texts)


def listing_note(events=(), associations=()):
    """The note of a page that lists events or associations and nothing else translated."""
    note = FallbackNote()
    event_parts(note, events)
    association_parts(note, associations)
    return note


def partner_names_note(partners):
    note = FallbackNote()
    note.add(gettext("names of partners"), *[(partner, "name") for partner in partners])
    return note
