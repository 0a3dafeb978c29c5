from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import Report


class ReportForm(forms.ModelForm):
    """What a reader tells us about a barrier. Text is kept as text; nothing here is HTML."""

    # The honeypot: hidden from sight and from the keyboard (static/css/site.css, tabindex -1),
    # labelled for the few who reach it. A program that fills every field fills this one, and
    # its report is answered as if received, but neither stored nor mailed. A name that no
    # browser's autofill has a value for (as it has for "website" or "url"), so that a reader's
    # browser never fills it and has a real report dropped.
    subject_line = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Report
        fields = ["page", "message", "name", "email"]
        labels = {
            "page": _("Which page is it about?"),
            "message": _("What is wrong?"),
            "name": _("Your name (optional)"),
            "email": _("Your e-mail address (optional)"),
        }
        help_texts = {
            "page": _("The address or the name of the page."),
            "message": _(
                "Describe the barrier: what you wanted to do, and what happened. "
                "At most %(limit)s characters."
            ),
            "email": _("Only if you would like an answer. We reply within one month."),
        }
        widgets = {
            "page": forms.TextInput(attrs={"autocomplete": "url"}),
            "message": forms.Textarea(attrs={"rows": 8, "cols": 60}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "message": {"required": _("Please describe the barrier.")},
            "email": {
                "invalid": _(
                    "This is not an e-mail address we can answer to. Correct it or leave the "
                    "field empty."
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        limit = settings.FEEDBACK_MAX_MESSAGE_CHARS
        message = self.fields["message"]
        message.max_length = limit
        message.widget.attrs["maxlength"] = str(limit)
        message.validators.append(MaxLengthValidator(limit))
        message.help_text = message.help_text % {"limit": limit}
        message.error_messages["max_length"] = _(
            "Please shorten the description to at most %(limit_value)d characters "
            "(it has %(show_value)d)."
        )

    def full_clean(self):
        """Tie each field's error to it (aria-describedby), beside its help text."""
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described_by = [f"{bound.auto_id}_error"]
            if bound.help_text:
                described_by.insert(0, f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)

    def is_spam(self):
        return bool(self.cleaned_data.get("subject_line"))

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "subject_line"]
