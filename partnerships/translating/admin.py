"""Translations in the admin: the status page, the XLIFF round trip, and on the content admins a
list filter "missing in …" / "outdated in …" and the outdated fields marked on the form.

The status page is the change list of TranslationStamp (so that it has a place in the admin's
index and menu): per language the counts, field by field, and the objects to work through, each
linked to its form at the language's tab; export and import of XLIFF files from there.
"""

import secrets
from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..transfer.changes import ImportSource
from . import xliff
from .fields import fields_of, language_name, target_languages, translated_models
from .models import TranslationStamp, TranslationUpload
from .status import MISSING, OUTDATED, STATES, language_statuses, needing_work_q, outdated_q
from .status import work_list as make_work_list

UPLOADS_KEPT = timedelta(days=1)


def may_see_content(user):
    return any(
        user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        for model in translated_models()
    )


def may_change(user, models):
    return all(
        user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
        for model in models
    )


# --- on the content admins ---


class TranslationStatusFilter(admin.SimpleListFilter):
    """ "Missing in Hebrew", "outdated in English": the objects with at least one such text."""

    title = gettext_lazy("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = []
        for language in target_languages():
            name = language_name(language)
            choices.append(
                (f"{MISSING}-{language}", _("missing in %(language)s") % {"language": name})
            )
            choices.append(
                (f"{OUTDATED}-{language}", _("outdated in %(language)s") % {"language": name})
            )
        return choices

    def queryset(self, request, queryset):
        state, _dash, language = (self.value() or "").partition("-")
        if state in STATES and language in target_languages():
            return queryset.filter(needing_work_q(queryset.model, language, [state]))
        return queryset


def outdated_columns(queryset):
    """{pk: the columns (description_he) whose translation is outdated} of the objects of
    `queryset`: one query, however many objects."""
    model = queryset.model
    annotations = {
        f"_outdated_{translated.column(language)}": ExpressionWrapper(
            outdated_q(translated, language), output_field=BooleanField()
        )
        for translated in fields_of(model)
        for language in target_languages()
    }
    if not annotations:
        return {}
    return {
        row["pk"]: {name.removeprefix("_outdated_") for name in annotations if row[name]}
        for row in queryset.annotate(**annotations).values("pk", *annotations)
    }


def mark_outdated(fields, columns):
    """A class for the style sheet and a help text that says why, on each outdated field."""
    for column in columns:
        field = fields.get(column)
        if field is None:
            continue
        classes = field.widget.attrs.get("class", "")
        field.widget.attrs["class"] = f"{classes} translation-outdated".strip()
        note = _("Outdated: the German text changed since this translation was saved.")
        field.help_text = f"{note} {field.help_text}".strip()


class TranslationStatusMixin:
    """For a content admin: the translation list filter, and outdated fields marked on the
    form (a class for the style sheet and a help text that says why)."""

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), TranslationStatusFilter]

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-translations.css"]})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and request.method == "GET":
            # The class is made for this request (modelform_factory): its fields are its own.
            queryset = type(obj)._base_manager.filter(pk=obj.pk)
            mark_outdated(form.base_fields, outdated_columns(queryset).get(obj.pk, ()))
        return form


class TranslationStatusInlineMixin:
    """For an inline (a partner's relationships, an office's people): outdated fields marked
    on each of its forms, from one query for all of them."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is None or request.method != "GET":
            return formset
        outdated = outdated_columns(self.model._base_manager.filter(**{formset.fk.name: obj}))

        class MarkedForm(formset.form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                mark_outdated(self.fields, outdated.get(self.instance.pk, ()))

        formset.form = MarkedForm
        return formset


# --- the status page, export and import ---


class ExportForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("language"))
    only = forms.MultipleChoiceField(
        label=gettext_lazy("only"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (MISSING, gettext_lazy("missing texts")),
            (OUTDATED, gettext_lazy("outdated texts")),
        ],
        help_text=gettext_lazy("Leave both unticked for every text."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(c, language_name(c)) for c in target_languages()]


class ImportForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("language of the translations"))
    xliff_file = forms.FileField(
        label=gettext_lazy("XLIFF file"), help_text=gettext_lazy("XLIFF 1.2, as exported here")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(c, language_name(c)) for c in target_languages()]

    def clean_xliff_file(self):
        upload = self.cleaned_data["xliff_file"]
        if upload.size > xliff.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported here.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(xliff.MAX_BYTES),
                }
            )
        return upload


def plan_digest(plan):
    """What a checked file would write, so that confirming writes exactly what was previewed."""
    import hashlib

    digest = hashlib.sha256()
    for change in [*plan.changes, *plan.confirmed]:
        digest.update(f"{change.unit_id}\0{change.old}\0{change.new}\0".encode())
    return digest.hexdigest()


@admin.register(TranslationStamp)
class TranslationStatusAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return may_see_content(request.user)

    def has_module_permission(self, request):
        return may_see_content(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="translating_export"),
            path("import/", view(self.import_view), name="translating_import"),
            path("import/<str:token>/", view(self.preview_view), name="translating_preview"),
            path("", view(self.changelist_view), name="translating_translationstamp_changelist"),
        ]

    def context(self, request, **values):
        request.current_app = self.admin_site.name
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **values}

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        languages = target_languages()
        language = request.GET.get("language")
        if language not in languages:
            language = languages[0] if languages else None
        statuses = language_statuses()
        work = []
        for model, (items, count) in (make_work_list(language) if language else {}).items():
            work.append(
                {
                    "model": model,
                    "name": model._meta.verbose_name_plural,
                    "items": items,
                    "count": count,
                    "list_url": list_url(model, language),
                }
            )
        context = self.context(
            request,
            title=_("Translation status"),
            statuses=[
                {
                    "status": status,
                    "name": language_name(status.language),
                    "rows": [
                        {
                            "count": count,
                            "model": count.translated_field.model._meta.verbose_name_plural,
                            "missing_url": list_url(
                                count.translated_field.model, status.language, MISSING
                            ),
                            "outdated_url": list_url(
                                count.translated_field.model, status.language, OUTDATED
                            ),
                        }
                        for count in status.counts
                        if count.total
                    ],
                }
                for status in statuses
            ],
            language=language,
            language_name=language_name(language) if language else "",
            languages=[(code, language_name(code)) for code in languages],
            work=work,
            export_form=ExportForm(initial={"language": language, "only": list(STATES)}),
            import_form=ImportForm(initial={"language": language}),
            may_import=may_change(request.user, translated_models()),
        )
        return TemplateResponse(request, "admin/translating/status.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ExportForm(request.GET)
        if not form.is_valid():
            messages.error(request, _("Choose a language to export."))
            return HttpResponseRedirect(reverse("admin:translating_translationstamp_changelist"))
        language, only = form.cleaned_data["language"], form.cleaned_data["only"]
        data = xliff.export(language, set(only) or None)
        suffix = "-".join(sorted(only)) if only else "all"
        name = f"translations-{language}-{suffix}-{timezone.localdate():%Y-%m-%d}.xlf"
        response = HttpResponse(data, content_type="application/x-xliff+xml")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_view(self, request):
        if not may_change(request.user, translated_models()):
            raise PermissionDenied
        status_url = reverse("admin:translating_translationstamp_changelist")
        if request.method != "POST":
            return HttpResponseRedirect(status_url)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(status_url)
        upload = form.cleaned_data["xliff_file"]
        data = upload.read()
        language = form.cleaned_data["language"]
        try:
            plan = xliff.read_file(data, language)
        except xliff.XliffRefused as refusal:
            messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": refusal})
            return HttpResponseRedirect(status_url)
        TranslationUpload.objects.filter(created__lt=timezone.now() - UPLOADS_KEPT).delete()
        if plan.refused:
            return self.preview_response(request, plan, upload.name, token=None)
        stored = TranslationUpload.objects.create(
            token=secrets.token_urlsafe(32),
            user=request.user,
            language=language,
            file_name=upload.name[:255],
            data=data,
            preview_digest=plan_digest(plan),
        )
        return HttpResponseRedirect(reverse("admin:translating_preview", args=[stored.token]))

    def preview_view(self, request, token):
        stored = get_object_or_404(TranslationUpload, token=token, user=request.user)
        if not may_change(request.user, translated_models()):
            raise PermissionDenied
        data = bytes(stored.data)
        status_url = reverse("admin:translating_translationstamp_changelist")
        try:
            plan = xliff.read_file(data, stored.language)
        except xliff.XliffRefused as refusal:  # the file was read once; only a change here
            stored.delete()
            messages.error(request, _("Nothing was imported: %(reason)s") % {"reason": refusal})
            return HttpResponseRedirect(status_url)
        if request.method == "POST":
            if "cancel" in request.POST:
                stored.delete()
                messages.info(request, _("The import was cancelled; nothing was written."))
                return HttpResponseRedirect(status_url)
            if plan.refused or plan_digest(plan) != stored.preview_digest:
                stored.preview_digest = plan_digest(plan)
                stored.save(update_fields=["preview_digest"])
                messages.warning(
                    request,
                    _(
                        "The texts changed since the preview; nothing was written. Check the "
                        "preview again."
                    ),
                )
                return self.preview_response(request, plan, stored.file_name, token)
            change_set = xliff.write(
                plan, ImportSource.from_bytes(stored.file_name, data), request.user
            )
            stored.delete()
            if change_set is None:
                messages.info(request, _("No text changed; the confirmed texts count as current."))
                return HttpResponseRedirect(status_url)
            messages.success(
                request,
                _("%(count)s translations into %(language)s imported, as import #%(number)s.")
                % {
                    "count": len(plan.changes),
                    "language": plan.language_name,
                    "number": change_set.pk,
                },
            )
            return HttpResponseRedirect(
                reverse("admin:transfer_changeset_change", args=[change_set.pk])
            )
        return self.preview_response(request, plan, stored.file_name, token)

    def preview_response(self, request, plan, file_name, token):
        context = self.context(
            request,
            title=_("Import of translations from %(file)s") % {"file": file_name},
            plan=plan,
            file_name=file_name,
            token=token,
        )
        return TemplateResponse(request, "admin/translating/preview.html", context)


def list_url(model, language, state=None):
    """The model's admin list, filtered to the texts missing or outdated in `language`."""
    meta = model._meta
    if not admin.site.is_registered(model):
        return ""
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    if state:
        return f"{url}?translation={state}-{language}"
    return f"{url}?translation={MISSING}-{language}"
