"""Numbers in the admin read as the editor writes them in the admin's language, never with a
different magnitude: German "52,22977" and "1.234.567", English "52.22977" and "1,234,567"."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from partnerships.fields import parse_number
from partnerships.models import Partner

from .adminforms import change_form_data, make_editor

pytestmark = pytest.mark.django_db


def post_partner(client, language, **changes):
    client.force_login(make_editor())
    partner = Partner.objects.get(slug="warsaw")
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(url, change_form_data(page, **changes), HTTP_ACCEPT_LANGUAGE=language)
    partner.refresh_from_db()
    return response, partner


@pytest.mark.parametrize(
    "language,latitude,longitude,population",
    [
        ("de", "52,22977", "21,01178", "1.234.567"),
        ("de", "52.22977", "21.01178", "1234567"),  # coordinates copied from a map
        ("de", "52,22977", "21,01178", "1 234 567"),
        ("en", "52.22977", "21.01178", "1,234,567"),
        ("en", "52,22977", "21,01178", "1234567"),  # a coordinate has no thousands
    ],
)
def test_numbers_are_read_as_the_admins_language_writes_them(
    client, demo, language, latitude, longitude, population
):
    response, partner = post_partner(
        client, language, latitude=latitude, longitude=longitude, population=population
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert partner.latitude == Decimal("52.22977")
    assert partner.longitude == Decimal("21.01178")
    assert partner.population == 1234567


@pytest.mark.parametrize(
    "language,field,value",
    [
        ("de", "population", "1,234"),  # German 1,234 is one and a bit: not a whole number
        ("en", "population", "1.234"),
        ("de", "population", "1.23.4"),
        ("de", "population", "12.34.567"),
        ("de", "latitude", "52.229.77"),
        ("de", "latitude", "5.222,977"),
        ("en", "latitude", "52,229.77"),
        ("de", "latitude", "NaN"),
        ("de", "latitude", "1e2"),
    ],
)
def test_ambiguous_numbers_are_form_errors(client, demo, language, field, value):
    before = Partner.objects.values("latitude", "population").get(slug="warsaw")
    response, partner = post_partner(client, language, **{field: value})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert value in str(errors[field])  # the message names what the editor typed
    assert {"latitude": partner.latitude, "population": partner.population} == before


def test_the_form_shows_numbers_in_the_admins_language(client, demo):
    Partner.objects.filter(slug="warsaw").update(latitude=Decimal("52.22977"), population=1234567)
    client.force_login(make_editor())
    url = reverse("admin:partnerships_partner_change", args=[Partner.objects.get(slug="warsaw").pk])
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'value="52,22977"' in german and 'value="1.234.567"' in german
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="52.22977"' in english and 'value="1,234,567"' in english
    # A text box: a browser's number box sends nothing for a number it cannot read.
    assert 'type="number"' not in german


@pytest.mark.parametrize(
    "language,text,grouping,number",
    [
        ("de", "1.234", True, Decimal("1234")),
        ("en", "1.234", True, Decimal("1.234")),
        ("de", "1,234", True, Decimal("1.234")),
        ("en", "1,234", True, Decimal("1234")),
        ("de", "1.234,5", True, Decimal("1234.5")),
        ("en", "1,234.5", True, Decimal("1234.5")),
        ("de", "−0,5", False, Decimal("-0.5")),
        ("de", "52.229", False, Decimal("52.229")),
        ("en", "52,229", False, Decimal("52.229")),
    ],
)
def test_parse_number(language, text, grouping, number):
    with translation.override(language):
        assert parse_number(text, grouping=grouping) == number


@pytest.mark.parametrize("text", ["1,2,3", "1.2.3", "1.234.56", "1,234,5.6", "", "-", "1.2e3"])
def test_parse_number_refuses_what_it_cannot_read_for_sure(text):
    with translation.override("de"), pytest.raises(ValidationError):
        parse_number(text)
