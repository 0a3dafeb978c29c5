"""Two editors, one partner: a save never silently overwrites a save made after the form opened.

Every admin form (and inline form) of an object with an `updated` timestamp carries, hidden, the
timestamp the object had when the form was rendered. On save, if the object has been saved since
(by another editor, an import, an undo) and this form would change it, the save is refused with a
message that says who saved it when and which of the editor's entries differ from what is saved
now. The form keeps the editor's entries; saving it again replaces the other save, knowingly.
"""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .history import field_label
from .text import join_list

FIELD = "opened_version"


def stamp(moment):
    return moment.isoformat() if moment else ""


def has_timestamp(model):
    return any(field.name == "updated" for field in model._meta.concrete_fields)


class EditConflictForm(forms.ModelForm):
    # Declared, so that the admin's fieldsets may name it (EditConflictAdminMixin).
    opened_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks_conflicts = bool(self.instance.pk and getattr(self.instance, "updated", None))
        if self.checks_conflicts:
            self.fields[FIELD].initial = stamp(self.instance.updated)

    def clean(self):
        cleaned = super().clean()
        # The instance was read when this request began: its `updated` is the saved one now.
        changed = [name for name in self.changed_data if name != FIELD]
        # A form from a page sends the field; a client that never had it is not checked.
        sent = self.add_prefix(FIELD) in self.data
        if not self.checks_conflicts or not sent or not changed:
            return cleaned
        saved = stamp(self.instance.updated)
        if self.cleaned_data.get(FIELD) == saved:
            return cleaned
        # Seen now: saving the form again replaces the other save, on purpose.
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = saved
        raise forms.ValidationError(self.conflict_message(changed), code="edit_conflict")

    def conflict_message(self, changed):
        from reversion.models import Version

        instance = self.instance
        version = Version.objects.get_for_object(instance).select_related("revision__user").first()
        who = ""
        if version and version.revision.user:
            user = version.revision.user
            who = user.get_full_name() or user.get_username()
        when = date_format(timezone.localtime(instance.updated), "DATETIME_FORMAT")
        # As History names them: "Beschreibung (Englisch)", not modeltranslation's "[en]".
        model = type(instance)
        fields = [
            field_label(model, name) or str(self.fields[name].label or name) for name in changed
        ]
        message = (
            _("%(object)s was saved by %(user)s on %(when)s, after you opened this form.")
            % {"object": instance, "user": who, "when": when}
            if who
            else _("%(object)s was saved on %(when)s, after you opened this form.")
            % {"object": instance, "when": when}
        )
        return " ".join(
            [
                message,
                _("Your changes are not saved yet."),
                _("Your entries differ from what is saved now in: %(fields)s.")
                % {"fields": join_list(fields)},
                _(
                    "Check them (History shows the other save); saving again replaces what is "
                    "saved now with your entries."
                ),
            ]
        )


class EditConflictAdminMixin:
    """Renders the form's hidden timestamp: the admin shows only the fields its fieldsets name.

    Only where the editor may change the object (a view-only page shows every field as text).
    """

    form = EditConflictForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not has_timestamp(self.model) or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], FIELD]}), *rest]
