"""Which fields are edited in every configured language (modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    AccessibilityStatement,
    Contact,
    Imprint,
    InaccessiblePart,
    Milestone,
    Office,
    OfficePage,
    Page,
    Partner,
    Relationship,
    RelationshipKind,
)


@register(Partner)
class PartnerTranslationOptions(TranslationOptions):
    fields = ("name", "description", "image_alt", "coat_of_arms_alt")
    # The German name is required; other languages fall back to it.
    required_languages = ("de",)


@register(RelationshipKind)
class RelationshipKindTranslationOptions(TranslationOptions):
    fields = ("name", "section_title", "section_text")
    required_languages = ("de",)


@register(Relationship)
class RelationshipTranslationOptions(TranslationOptions):
    fields = ("summary",)


@register(Milestone)
class MilestoneTranslationOptions(TranslationOptions):
    fields = ("note",)
    required_languages = ("de",)


@register(Office)
class OfficeTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("de",)


@register(Contact)
class ContactTranslationOptions(TranslationOptions):
    fields = ("role", "photo_alt")


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = (
        "title",
        "subtitle",
        "meta_description",
        "introduction",
        "quote",
        "quote_author",
        "body",
    )
    required_languages = ("de",)


@register(OfficePage)
class OfficePageTranslationOptions(TranslationOptions):
    fields = ("title", "meta_description", "body", "image_alt")
    required_languages = ("de",)


@register(AccessibilityStatement)
class AccessibilityStatementTranslationOptions(TranslationOptions):
    fields = ("method_details", "arbitration_body", "arbitration_address")
    required_languages = {"de": ("arbitration_body", "arbitration_address")}


@register(InaccessiblePart)
class InaccessiblePartTranslationOptions(TranslationOptions):
    fields = ("description", "explanation", "alternative")
    required_languages = {"de": ("description",)}


@register(Imprint)
class ImprintTranslationOptions(TranslationOptions):
    fields = (
        "publisher",
        "legal_form",
        "representative",
        "department",
        "supervisory_authority",
        "supervisory_address",
        "responsible_for_content",
    )
    required_languages = {
        "de": (
            "publisher",
            "legal_form",
            "representative",
            "supervisory_authority",
            "supervisory_address",
            "responsible_for_content",
        )
    }
