"""Which fields of the associations and events are edited in every language (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Association, Event


@register(Association)
class AssociationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("de",)


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "place", "image_alt")
    required_languages = ("de",)
