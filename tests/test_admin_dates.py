"""since/until say which formats they take, in the editor's language, without a fake value."""

import pytest
from django.urls import reverse

from partnerships.fields import PartialDateFormField
from partnerships.models import Relationship

from .adminforms import make_editor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language,help_text",
    [
        (
            "de",
            "Eine Jahreszahl (1988) oder ein vollständiges Datum (1988-07-22 oder 22.07.1988). "
            "Eine zweistellige Jahreszahl (22.07.04) ist 20jj, oder 19jj, wenn das Datum sonst "
            "in der Zukunft läge.",
        ),
        (
            "en",
            "A year (1988) or a full date (1988-07-22 or 22.07.1988). A two-digit year "
            "(22.07.04) is 20yy, or 19yy when that date would be in the future.",
        ),
        (
            "he",
            "שנה (1988) או תאריך מלא (1988-07-22 או 22.07.1988). שנה בת שתי ספרות "
            "(22.07.04) היא 20yy, או 19yy אם התאריך היה אחרת בעתיד.",
        ),
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


def test_the_admin_reads_a_two_digit_year_as_the_import_does():
    field = PartialDateFormField(required=False)

    assert field.clean("22.07.04") == "2004-07-22"
    # Shown back with its four-digit year, so that the editor sees the century it was read in.
    assert field.prepare_value(field.clean("22.07.04")) == "22.07.2004"
