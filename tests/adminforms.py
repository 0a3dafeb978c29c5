"""Submit admin forms the way a browser does: every field as the page shows it, plus changes.

Built from the rendered form rather than written out by hand, so a test keeps working when a
field or an inline is added to an admin.
"""

from django.contrib.auth.models import Group, User

EDITORS_GROUP = "Partnership editors"


def make_editor(username="editor", password="a-long-editor-password-1"):
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def _field_data(form):
    data = {}
    for name in form.fields:
        bound = form[name]
        if getattr(bound.field.widget, "input_type", None) == "file":
            continue  # uploads are not re-sent; an unchanged file stays
        value = bound.value()
        key = bound.html_name
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        elif value is None:
            data[key] = ""
        else:
            data[key] = str(value)
    return data


def change_form_data(response, **changes):
    """The POST data of the admin add/change page in `response`, with `changes` applied.

    Inline fields are named as in the page, e.g. relationships-0-summary_en.
    """
    context = response.context
    data = _field_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_data(formset.management_form))
        for form in formset.forms:
            data.update(_field_data(form))
    data.update(changes)
    return data
