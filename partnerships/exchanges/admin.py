from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .. import images
from ..admin import EditorFormsMixin, HistoryAdmin, KeepChosenImagesMixin, translated
from .models import Association, Event


@admin.register(Association)
class AssociationAdmin(EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "kind", "contact_person", "is_published", "updated"]
    list_filter = ["kind", "is_published", "relationships__kind"]
    search_fields = [*translated("name"), "contact_person", "email"]
    autocomplete_fields = ["relationships"]
    fields = [
        "name",
        "kind",
        ("website", "email"),
        "contact_person",
        "description",
        "relationships",
        "is_published",
    ]


@admin.register(Event)
class EventAdmin(KeepChosenImagesMixin, EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "kind", "start_date", "partner", "association"]
    list_filter = ["kind", "relationship__kind", "start_date"]
    list_select_related = ["relationship__partner", "relationship__kind", "association"]
    search_fields = [
        *translated("title"),
        *(f"relationship__partner__{f}" for f in translated("name")),
    ]
    autocomplete_fields = ["relationship", "association"]
    date_hierarchy = "start_date"
    fields = [
        "relationship",
        "kind",
        "title",
        "summary",
        "place",
        ("start_date", "start_time"),
        ("end_date", "end_time"),
        "link",
        "association",
        "image_preview",
        "image",
        "image_alt",
        "image_credit",
    ]
    readonly_fields = ["image_preview"]

    @admin.display(description=_("current image"))
    def image_preview(self, event):
        return images.admin_preview_html(event.image, event.image_width, event.image_height)

    @admin.display(description=_("partner"), ordering="relationship__partner__name")
    def partner(self, event):
        return event.relationship.partner
