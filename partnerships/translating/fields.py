"""Every translated field, as modeltranslation registers it (partnerships/translation.py).

The source language is modeltranslation's default (German); the target languages are every
other configured language (settings.LANGUAGES), so a language added there is covered here.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from ..sanitize import RICH_TEXT_FIELDS


def source_language():
    return DEFAULT_LANGUAGE


def target_languages():
    """Every configured language but German, in the settings' order."""
    return [code for code, _name in settings.LANGUAGES if code != source_language()]


def language_name(code):
    from django.utils.translation import gettext

    return gettext(dict(settings.LANGUAGES)[code])


@dataclass(frozen=True)
class TranslatedField:
    model: type
    name: str  # the field as registered: "description"

    def column(self, language):
        """The stored copy in `language`: description_he."""
        return build_localized_fieldname(self.name, language)

    @property
    def source_column(self):
        return self.column(source_language())

    def max_length(self, language):
        return self.model._meta.get_field(self.column(language)).max_length

    @property
    def rich_text(self):
        return self.name in RICH_TEXT_FIELDS.get(self.model, ())

    @property
    def label(self):
        return self.model._meta.get_field(self.name).verbose_name

    @property
    def key(self):
        """Stable in files and addresses: partnerships.partner.description."""
        return f"{self.model._meta.label_lower}.{self.name}"


@cache
def translated_models():
    """{model: [TranslatedField]} for every registered model, in registration order."""
    registered = {}
    for model in translator.get_registered_models(abstract=False):
        options = translator.get_options_for_model(model)
        # Only the model's own registration (a subclass inherits its parent's fields), in the
        # order of the model's fields, as its form shows them.
        order = {f.name: index for index, f in enumerate(model._meta.get_fields())}
        names = sorted(options.local_fields, key=lambda name: order.get(name, len(order)))
        if names:
            registered[model] = [TranslatedField(model, name) for name in names]
    return registered


def fields_of(model):
    return translated_models().get(model, [])


def field_by_key(label, name):
    """The TranslatedField for ("partnerships.partner", "description"), or None."""
    for model, fields in translated_models().items():
        if model._meta.label_lower == label:
            for translated in fields:
                if translated.name == name:
                    return translated
    return None
