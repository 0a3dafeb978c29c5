"""since/until say which formats they take, in the editor's language, without a fake value."""

import pytest
from django.urls import reverse

from partnerships.models import Relationship

from .adminforms import make_editor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language,help_text",
    [
        ("de", "Eine Jahreszahl (1988) oder ein vollständiges Datum (1988-07-22 oder 22.07.1988)."),
        ("en", "A year (1988) or a full date (1988-07-22 or 22.07.1988)."),
        ("he", "שנה (1988) או תאריך מלא (1988-07-22 או 22.07.1988)."),
    ],
)
def test_since_and_until_show_their_formats_and_no_placeholder(client, demo, language, help_text):
    client.force_login(make_editor())
    relationship = Relationship.objects.filter(until="").first()
    url = reverse("admin:partnerships_relationship_change", args=[relationship.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    form = response.context["adminform"].form
    for name in ("since", "until"):
        assert str(form.fields[name].help_text) == help_text
        assert "placeholder" not in str(form[name])
    assert response.content.decode().count(help_text) >= 2
