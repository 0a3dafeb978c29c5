import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from partnerships.fields import format_partial_date, parse_partial_date
from partnerships.models import ContentChange, Milestone, Partner, Relationship

from .factories import make_kind, make_partner, make_relationship

pytestmark = pytest.mark.django_db


def test_one_relationship_per_partner_and_kind_is_enforced_by_the_database():
    relationship = make_relationship()
    with pytest.raises(IntegrityError), transaction.atomic():
        Relationship.objects.create(partner=relationship.partner, kind=relationship.kind)


def test_a_partner_can_hold_relationships_of_several_kinds():
    partner = make_partner()
    make_relationship(partner=partner, kind=make_kind("twin_city"))
    make_relationship(partner=partner, kind=make_kind("agenda21_partnership"))
    assert partner.relationships.count() == 2


def test_duplicate_relationship_is_a_validation_message_not_a_crash():
    relationship = make_relationship()
    duplicate = Relationship(partner=relationship.partner, kind=relationship.kind)
    with translation.override("de"), pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Dieser Partner hat bereits eine Beziehung dieser Art." in str(error.value)


def test_wikidata_id_is_unique_when_set_but_many_partners_may_have_none():
    make_partner(wikidata_id="Q270")
    make_partner(wikidata_id="")
    make_partner(wikidata_id="")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_partner(wikidata_id="Q270")


def test_wikidata_id_must_look_like_one():
    partner = make_partner()
    partner.wikidata_id = "270"
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "wikidata_id" in error.value.message_dict


@pytest.mark.parametrize("field,value", [("latitude", 91), ("latitude", -90.5), ("longitude", 181)])
def test_coordinates_out_of_range_are_refused_by_the_database(field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_partner(**{field: value})


def test_coordinates_out_of_range_are_a_form_message():
    partner = make_partner()
    partner.latitude = 95
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "latitude" in error.value.message_dict


def test_slug_is_unique():
    make_partner(slug="warsaw")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_partner(slug="warsaw")


def test_until_cannot_be_before_since():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_relationship(since="2004", until="2003-12-31")


def test_until_in_the_year_of_a_full_since_date_is_allowed():
    relationship = make_relationship(since="2004-07-22", until="2004")
    relationship.full_clean()


def test_status_outside_the_choices_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_relationship(status="forgotten")


@pytest.mark.parametrize(
    "given,stored",
    [
        ("1988", "1988"),
        (" 2004-07-22 ", "2004-07-22"),
        ("22.07.2004", "2004-07-22"),
        ("1.3.2016", "2016-03-01"),
        (1988, "1988"),
        (1988.0, "1988"),
        ("", ""),
    ],
)
def test_partial_dates_accept_years_iso_and_german_dates(given, stored):
    assert parse_partial_date(given) == stored


@pytest.mark.parametrize("given", ["88", "31.02.2004", "2004-13-01", "next year", "12345", 1988.5])
def test_partial_dates_refuse_what_is_no_date(given):
    with pytest.raises(ValidationError):
        parse_partial_date(given)


@pytest.mark.parametrize(
    "given,stored",
    [
        ("22.07.04", "2004-07-22"),
        ("1.2.04", "2004-02-01"),
        ("01.02.04", "2004-02-01"),
        ("22.07.88", "1988-07-22"),
        ("29.02.00", "2000-02-29"),
        # Today's date is not in the future; tomorrow's is, so it is a hundred years back.
        ("1.12.26", "2026-12-01"),
        ("2.12.26", "1926-12-02"),
        ("31.12.26", "1926-12-31"),
        ("1.1.27", "1927-01-01"),
    ],
)
def test_a_two_digit_year_is_the_latest_that_is_not_in_the_future(given, stored):
    assert parse_partial_date(given, today=datetime.date(2026, 12, 1)) == stored


def test_a_two_digit_year_is_read_against_todays_date():
    today = timezone.localdate()
    this_year = f"{today:%d.%m.%y}"
    next_year = f"1.1.{(today.year + 1) % 100:02d}"

    assert parse_partial_date(this_year) == today.isoformat()
    assert parse_partial_date(next_year) == f"{today.year + 1 - 100}-01-01"


@pytest.mark.parametrize(
    "given", ["31.02.04", "29.02.01", "32.1.04", "1.13.04", "1.2.4", "1.2.004"]
)
def test_a_two_digit_year_still_needs_a_real_date(given):
    with pytest.raises(ValidationError):
        parse_partial_date(given, today=datetime.date(2026, 12, 1))


def test_partial_date_shows_a_year_as_year_and_a_date_in_the_readers_language():
    assert format_partial_date("1988") == "1988"
    with translation.override("de"):
        assert format_partial_date("2004-07-22") == "22. Juli 2004"
    with translation.override("en"):
        assert format_partial_date("2004-07-22") == "July 22, 2004"


def test_untranslated_name_falls_back_to_german():
    partner = make_partner(name_de="Warschau", name_en="Warsaw")
    other = make_partner(name_de="Präfektur Chiba")
    with translation.override("en"):
        assert Partner.objects.get(pk=partner.pk).name == "Warsaw"
        assert Partner.objects.get(pk=other.pk).name == "Präfektur Chiba"
    with translation.override("he"):
        assert Partner.objects.get(pk=partner.pk).name == "Warschau"


def test_milestones_are_ordered_by_date():
    relationship = make_relationship()
    Milestone.objects.create(relationship=relationship, date="2022", note_de="ausgesetzt")
    Milestone.objects.create(relationship=relationship, date="1992-05-01", note_de="unterzeichnet")
    assert [m.date for m in relationship.milestones.all()] == ["1992-05-01", "2022"]


def test_every_save_and_delete_records_a_content_change():
    partner = make_partner()
    first = ContentChange.last()
    partner.delete()
    assert ContentChange.last() > first
