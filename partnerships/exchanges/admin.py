from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from ..admin import EditorFormsMixin, HistoryAdmin, translated
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
class EventAdmin(EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin):
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
    ]

    @admin.display(description=_("partner"), ordering="relationship__partner__name")
    def partner(self, event):
        return event.relationship.partner
