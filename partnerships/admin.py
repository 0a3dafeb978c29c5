from contextlib import contextmanager

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connections, models, transaction
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import (
    fields,
    history,  # noqa: F401  (registers the models with reversion before the admins do)
    images,
    kept_uploads,
)
from . import video as video_checks
from .edit_conflicts import EditConflictAdminMixin
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
    SignLanguageVideo,
)
from .transfer.admin import PartnershipImportExportAdmin
from .transfer.export import PartnershipResource, RelationshipResource
from .translating.admin import TranslationStatusInlineMixin, TranslationStatusMixin

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def translated(field):
    """The per-language columns of a translated field, for search_fields."""
    return [f"{field}_{code}" for code in LANGUAGE_CODES]


class HistoryAdmin(VersionAdmin):
    """The History and "Recover deleted" pages, whose restores never point to a missing image
    and restore the object with what it follows (its relationships...), nothing else.

    The files versions name are kept (images.py); a version older than that rule may name an
    image that is gone: it is restored without it, and the editor is told so.
    """

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        return history.with_field_names(message, self.model, form, formsets, add)

    # The version keeps the change message itself, not reversion's wording of it at the time in
    # the editor's language, so that History words it in its reader's language, with the form's
    # labels (history.describe_change).

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.change_message or "")
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.change_message or "")
        return entry

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        # VersionAdmin reverts version.revision, whole. An import's revision holds every partner
        # it touched: on this one revision instance, revert only this object's own versions.
        version.revision.revert = lambda delete=False: history.revert_object_tree(version)
        return super()._reversion_revisionform_view(request, version, template_name, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        with self._restoring(request, version_id):
            return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        with self._restoring(request, version_id):
            return super().recover_view(request, version_id, extra_context)

    @contextmanager
    def _restoring(self, request, version_id):
        version = Version.objects.select_related("revision").filter(pk=version_id).first()
        versions = history.object_tree_versions(version) if version else []
        for name in images.missing_files(versions):
            messages.warning(
                request,
                _(
                    "The image “%(name)s” of this version is no longer stored: the version is "
                    "restored without it. Upload the image again if it is still needed."
                )
                % {"name": name},
            )
        with images.restoring():
            yield


class KeySafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete box, which also copes with a submitted value no key can have.

    To show the chosen entry again after a form error, Django's widget looks the submitted value
    up with `pk__in`, which fails on a number the key column cannot hold (400 digits: a server
    error) instead of finding nothing. Such a value finds nothing here; the form field itself
    already says that the choice is not valid.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self.could_be_key(item)], attr)

    def could_be_key(self, value):
        target = self.field.target_field
        try:
            key = target.to_python(value)
        except ValidationError:
            return False
        operations = connections[self.db or "default"].ops
        internal_type = target.get_internal_type()
        if isinstance(key, int) and internal_type in operations.integer_field_ranges:
            low, high = operations.integer_field_range(internal_type)
            return (low is None or key >= low) and (high is None or key <= high)
        return True


class EditorFormsMixin(EditConflictAdminMixin):
    """What every admin form and inline of the app shares, so that no input fails an editor.

    Numbers are read as the editor writes them in the admin's language ("52,22977" in German,
    "52.22977" in English; see fields.parse_number), in a text box rather than a browser's
    number box; autocomplete boxes survive any submitted value; and a save never silently
    overwrites another one made after the form opened (edit_conflicts.py).
    """

    # With the widget: the admin adds its own defaults' widgets (a number box) to these.
    formfield_overrides = {
        models.DecimalField: {
            "form_class": fields.DecimalNumberField,
            "widget": fields.NumberTextInput,
        },
        **{
            field: {"form_class": fields.WholeNumberField, "widget": fields.NumberTextInput}
            # BigIntegerField too: the admin's default for it would be found first.
            for field in (models.IntegerField, models.BigIntegerField)
        },
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A translated column is edited in its language's direction: Hebrew right to left.
        language = getattr(db_field, "language", None)
        if formfield is not None and language:
            direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
            formfield.widget.attrs.update({"lang": language, "dir": direction})
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeySafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KeepChosenImagesMixin:
    """An image chosen on a form that comes back with an error is kept until the form is saved,
    and the form says so (partnerships/kept_uploads.py): a browser never sends a file twice."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            kwargs["widget"] = widget = kept_uploads.KeptImageInput()
            widget.owner = request.user.pk
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        # Bound and validated: back with an error somewhere, in the form or in an inline.
        if form.is_bound and hasattr(form, "cleaned_data"):
            for name, field in form.fields.items():
                upload = None if name in form.errors else form.cleaned_data.get(name)
                if isinstance(field.widget, kept_uploads.KeptImageInput) and isinstance(
                    upload, UploadedFile
                ):
                    token = getattr(upload, "kept_token", None) or kept_uploads.keep(
                        upload, request.user.pk
                    )
                    field.widget.kept = (token, upload.name)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for value in form.cleaned_data.values():
            if token := getattr(value, "kept_token", None):
                transaction.on_commit(
                    lambda token=token: kept_uploads.discard(token, request.user.pk)
                )


class RelationshipInline(TranslationStatusInlineMixin, EditorFormsMixin, TranslationStackedInline):
    model = Relationship
    extra = 0
    fields = [("kind", "status"), ("since", "until"), "contact", "summary"]
    autocomplete_fields = ["contact"]
    show_change_link = True
    verbose_name_plural = _("relationships (milestones are edited on each relationship's page)")


class RelationshipKindFilter(admin.SimpleListFilter):
    title = _("kind of relationship")
    parameter_name = "relationship"

    def lookups(self, request, model_admin):
        return [(kind.code, kind.name) for kind in RelationshipKind.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(relationships__kind__code=self.value()).distinct()
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that partners are in, named in the editor's language."""

    title = _("country")
    parameter_name = "country"
    field_path = "country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list(self.field_path, flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field_path: self.value()})
        return queryset


class PartnerCountryFilter(CountryFilter):
    field_path = "partner__country"


class RelationshipStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Relationship.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(relationships__status=self.value()).distinct()
        return queryset


@admin.register(Partner)
class PartnerAdmin(
    TranslationStatusMixin,
    KeepChosenImagesMixin,
    EditorFormsMixin,
    PartnershipImportExportAdmin,
    HistoryAdmin,
    TabbedTranslationAdmin,
):
    resource_classes = [PartnershipResource]
    list_display = [
        "name",
        "thumbnail",
        "country",
        "relationship_kinds",
        "relationship_statuses",
        "is_published",
        "updated",
    ]
    list_filter = [
        RelationshipKindFilter,
        CountryFilter,
        RelationshipStatusFilter,
        "is_published",
    ]
    search_fields = [*translated("name"), "other_names", "slug", "wikidata_id", "region"]
    prepopulated_fields = {"slug": ["name_de"]}
    list_per_page = 50
    date_hierarchy = None
    inlines = [RelationshipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "other_names",
                    "slug",
                    "kind",
                    "country",
                    "region",
                    "is_published",
                ]
            },
        ),
        (_("Description"), {"fields": ["description"]}),
        (
            _("Facts"),
            {"fields": [("latitude", "longitude"), "population", "website", "wikidata_id"]},
        ),
        (
            _("Image"),
            {"fields": ["image_preview", "image", "image_alt", "image_credit", "image_licence"]},
        ),
        (
            _("Coat of arms"),
            {
                "fields": [
                    "coat_of_arms_preview",
                    "coat_of_arms",
                    "coat_of_arms_alt",
                    "coat_of_arms_credit",
                    "coat_of_arms_licence",
                ]
            },
        ),
    ]
    readonly_fields = ["image_preview", "coat_of_arms_preview"]

    def get_queryset(self, request):
        # One query for every listed partner's relationships, not one per row.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("relationships", queryset=Relationship.objects.select_related("kind"))
            )
        )

    @admin.display(description=_("image"))
    def thumbnail(self, partner):
        return images.admin_thumbnail_html(partner.image, partner.image_width, partner.image_height)

    @admin.display(description=_("current image"))
    def image_preview(self, partner):
        return images.admin_preview_html(partner.image, partner.image_width, partner.image_height)

    @admin.display(description=_("current coat of arms"))
    def coat_of_arms_preview(self, partner):
        return images.admin_preview_html(
            partner.coat_of_arms, partner.coat_of_arms_width, partner.coat_of_arms_height
        )

    @admin.display(description=_("relationships"))
    def relationship_kinds(self, partner):
        return ", ".join(str(rel.kind) for rel in partner.relationships.all()) or "–"

    @admin.display(description=_("status"))
    def relationship_statuses(self, partner):
        statuses = dict.fromkeys(rel.get_status_display() for rel in partner.relationships.all())
        return ", ".join(str(status) for status in statuses) or "–"


class MilestoneInline(TranslationStatusInlineMixin, EditorFormsMixin, TranslationTabularInline):
    model = Milestone
    extra = 1
    fields = ["date", "note", "sets_status"]


@admin.register(Relationship)
class RelationshipAdmin(
    TranslationStatusMixin,
    EditorFormsMixin,
    PartnershipImportExportAdmin,
    HistoryAdmin,
    TabbedTranslationAdmin,
):
    resource_classes = [RelationshipResource]
    list_display = ["partner", "kind", "status", "since", "until", "updated"]
    list_filter = ["kind", "status", PartnerCountryFilter]
    list_select_related = ["partner", "kind"]
    search_fields = [f"partner__{field}" for field in translated("name")]
    autocomplete_fields = ["partner", "contact"]
    inlines = [MilestoneInline]
    fields = ["partner", ("kind", "status"), ("since", "until"), "contact", "summary"]


@admin.register(RelationshipKind)
class RelationshipKindAdmin(
    TranslationStatusMixin, EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin
):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = translated("name")
    fields = ["name", "code", "order", "section_title", "section_text"]
    prepopulated_fields = {"code": ["name_en"]}


class ContactInline(TranslationStatusInlineMixin, EditorFormsMixin, TranslationTabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "phone", "email", "order"]


@admin.register(Office)
class OfficeAdmin(TranslationStatusMixin, EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["name", "city", "phone"]
    inlines = [ContactInline]
    fields = ["name", "street", ("postal_code", "city"), "phone", "email"]


@admin.register(Contact)
class ContactAdmin(
    TranslationStatusMixin,
    KeepChosenImagesMixin,
    EditorFormsMixin,
    HistoryAdmin,
    TabbedTranslationAdmin,
):
    list_display = ["name", "photo_thumbnail", "role", "phone", "email", "order"]
    list_editable = ["order"]
    search_fields = ["name", *translated("role"), "email"]
    list_select_related = ["office"]
    fields = [
        "office",
        "name",
        "role",
        ("phone", "email"),
        "order",
        "photo_preview",
        "photo",
        "photo_alt",
        "photo_credit",
    ]
    readonly_fields = ["photo_preview"]

    @admin.display(description=_("photo"))
    def photo_thumbnail(self, contact):
        return images.admin_thumbnail_html(contact.photo, contact.photo_width, contact.photo_height)

    @admin.display(description=_("current photo"))
    def photo_preview(self, contact):
        return images.admin_preview_html(contact.photo, contact.photo_width, contact.photo_height)


@admin.register(Page)
class PageAdmin(TranslationStatusMixin, EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "title", "updated"]
    fields = [
        "key",
        "title",
        "subtitle",
        "meta_description",
        "introduction",
        "quote",
        "quote_author",
        "body",
    ]

    # The pages built from facts of their own, which are edited on the facts' own admin page.
    FACTS = {
        Page.Key.ACCESSIBILITY: AccessibilityStatement,
        Page.Key.IMPRINT: Imprint,
        Page.Key.SIGN_LANGUAGE: SignLanguageVideo,
    }

    def get_readonly_fields(self, request, obj=None):
        # A page's key ties it to its address; it is chosen once.
        return ["key", "facts"] if obj else []

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.key in self.FACTS:
            return [fields[0], "facts", *fields[1:]]
        return [field for field in fields if field != "facts"]

    @admin.display(description=_("built from"))
    def facts(self, page):
        model = self.FACTS.get(page.key)
        if model is None:
            return "–"
        opts = model._meta
        return format_html(
            '<a href="{}">{}</a>',
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            opts.verbose_name_plural,
        )

    # Pages that every page links to (Page.LINKED_FROM_EVERY_PAGE) are never deleted: their
    # page offers no delete button, and the delete page and the list's "delete selected" action
    # say why instead of deleting.

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_linked_from_every_page:
            return False
        return super().has_delete_permission(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        page = self.get_object(request, unquote(object_id))
        if page is not None and page.is_linked_from_every_page:
            self.refuse_to_delete(request, [page])
            return redirect("admin:partnerships_page_change", page.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _action, name, description = actions["delete_selected"]
            actions[name] = (delete_selected_unless_linked, name, description)
        return actions

    def refuse_to_delete(self, request, pages):
        self.message_user(
            request,
            ngettext(
                "%(pages)s cannot be deleted: every page of the website links to it, and that "
                "link would lead nowhere. Change its text instead. Nothing was deleted.",
                "%(pages)s cannot be deleted: every page of the website links to them, and "
                "those links would lead nowhere. Change their texts instead. Nothing was deleted.",
                len(pages),
            )
            % {"pages": ", ".join(f"“{page}”" for page in pages)},
            messages.ERROR,
        )


@admin.register(OfficePage)
class OfficePageAdmin(
    KeepChosenImagesMixin, EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin
):
    """The office's own pages: any number, ordered, published when ready.

    Unlike the fixed pages above, these may be deleted: no page links to one but the
    navigation or the overview, which list only the published ones that exist.
    """

    list_display = ["title", "slug", "placement", "is_published", "order", "updated"]
    list_editable = ["is_published", "order"]
    list_filter = ["placement", "is_published"]
    search_fields = [*translated("title"), "slug"]
    prepopulated_fields = {"slug": ("title_de",)}
    fields = [
        "title",
        "slug",
        "meta_description",
        "body",
        ("placement", "order", "is_published"),
        "image_preview",
        "image",
        "image_alt",
        "image_credit",
    ]
    readonly_fields = ["image_preview"]

    @admin.display(description=_("current image"))
    def image_preview(self, page):
        return images.admin_preview_html(page.image, page.image_width, page.image_height)


def delete_selected_unless_linked(modeladmin, request, queryset):
    """Django's "delete selected", unless a page every page links to is among the selected."""
    linked = [page for page in queryset if page.is_linked_from_every_page]
    if linked:
        modeladmin.refuse_to_delete(request, linked)
        return None  # back to the list, nothing deleted
    return delete_selected(modeladmin, request, queryset)


# --- The legal pages' facts: one row each, never deleted (the pages are built from them) ---


class SingleRowMixin:
    """A model of one row: its list and its add page lead straight to the row (or its list to
    adding it), so no second row is made, and the row cannot be deleted, since a public page is
    built from it. (Not by has_add_permission: the admin's menu asks it of every model on every
    page, which would cost a query each.)"""

    def has_delete_permission(self, request, obj=None):
        return False

    def the_row(self):
        opts = self.model._meta
        row = self.model.objects.only("pk").first()
        if row is None:
            return None
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", row.pk)

    def changelist_view(self, request, extra_context=None):
        if to_the_row := self.the_row():
            return to_the_row
        if self.has_add_permission(request):
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_add")
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        if to_the_row := self.the_row():
            return to_the_row
        return super().add_view(request, form_url, extra_context)


class InaccessiblePartFormSet(BaseInlineFormSet):
    """A statement that is not fully compliant names what is not accessible; a fully compliant
    one names nothing (the EU model statement's section "Non-accessible content")."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        status = self.instance.status
        parts = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if status and status != AccessibilityStatement.Status.FULL and not parts:
            raise ValidationError(
                _(
                    "A statement that is not fully compliant must name at least one part that "
                    "is not accessible, with its reason."
                ),
                code="parts_missing",
            )
        if status == AccessibilityStatement.Status.FULL and parts:
            raise ValidationError(
                _(
                    "A fully compliant website has no parts that are not accessible: remove them, "
                    "or choose “partially compliant”."
                ),
                code="parts_on_full",
            )


class InaccessiblePartInline(EditorFormsMixin, TranslationStackedInline):
    model = InaccessiblePart
    formset = InaccessiblePartFormSet
    extra = 0
    fields = ["description", "reason", "explanation", "alternative", "order"]


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(
    SingleRowMixin, EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin
):
    inlines = [InaccessiblePartInline]
    fieldsets = [
        (None, {"fields": ["status", ("prepared_on", "reviewed_on"), "method", "method_details"]}),
        (_("Feedback"), {"fields": ["feedback_email", "feedback_phone"]}),
        (
            _("Arbitration body"),
            {
                "fields": [
                    "arbitration_body",
                    "arbitration_address",
                    ("arbitration_email", "arbitration_phone"),
                    "arbitration_website",
                ]
            },
        ),
    ]


@admin.register(Imprint)
class ImprintAdmin(SingleRowMixin, EditorFormsMixin, HistoryAdmin, TabbedTranslationAdmin):
    fieldsets = [
        (
            None,
            {"fields": ["publisher", "legal_form", "representative", "department", "vat_id"]},
        ),
        (_("Address"), {"fields": ["street", ("postal_code", "city"), "email", "phone"]}),
        (_("Supervisory authority"), {"fields": ["supervisory_authority", "supervisory_address"]}),
        (None, {"fields": ["responsible_for_content"]}),
    ]


class VideoUploadInput(forms.ClearableFileInput):
    """Offers only what the checks accept in the browser's file dialogue."""

    def __init__(self, accept, attrs=None):
        super().__init__({"accept": accept, **(attrs or {})})


@admin.register(SignLanguageVideo)
class SignLanguageVideoAdmin(KeepChosenImagesMixin, SingleRowMixin, EditorFormsMixin, HistoryAdmin):
    fields = ["video", "video_facts", "captions", "poster_preview", "poster"]
    readonly_fields = ["video_facts", "poster_preview"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "video":
            kwargs["widget"] = VideoUploadInput("video/mp4,video/webm,.mp4,.webm")
            kwargs["help_text"] = _(
                "MP4 (H.264) or WebM, at least 320 × 240 pixels and 25 frames per second "
                "(BITV 2.0, Annex 2), at most %(size)s and %(minutes)s minutes."
            ) % {
                "size": filesizeformat(video_checks.max_bytes()),
                "minutes": video_checks.max_seconds() // 60,
            }
        elif db_field.name == "captions":
            kwargs["widget"] = VideoUploadInput("text/vtt,.vtt")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("checked"))
    def video_facts(self, obj):
        # Unknown for a row that did not come through the checks (a restored backup, a script).
        if not obj or None in (obj.width, obj.height, obj.frame_rate, obj.duration, obj.size):
            return "–"
        return _(
            "%(width)s × %(height)s pixels, %(rate)s frames per second, %(length)s, %(size)s"
        ) % {
            "width": obj.width,
            "height": obj.height,
            "rate": f"{obj.frame_rate:g}",
            "length": obj.duration_display,
            "size": filesizeformat(obj.size),
        }

    @admin.display(description=_("current poster image"))
    def poster_preview(self, obj):
        if not obj:
            return "–"
        return images.admin_preview_html(obj.poster, obj.poster_width, obj.poster_height)
