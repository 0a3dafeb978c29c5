"""The directory's search and order (partnerships/search.py), on whichever database runs the tests.

PostgreSQL is the production database; SQLite the fallback, with a simpler search: the tests
that differ say what each finds. Run them on both (DATABASE_URL=postgres://... for PostgreSQL).
"""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import translation

from partnerships import figures, search
from partnerships.models import ContentChange, Partner, Relationship
from partnerships.transfer.engine import import_table
from partnerships.transfer.reading import open_table
from tests.bulk import add_partners
from tests.factories import make_kind, make_partner, make_relationship
from tests.test_import import csv_bytes

POSTGRES = connection.vendor == "postgresql"


def directory(client, language="en", **params):
    with translation.override(language):
        path = reverse("partnerships:directory")
    response = client.get(path, params)
    assert response.status_code == 200
    return re.findall(rf'href="/{language}/partners/([a-z0-9-]+)/"', response.content.decode())


@pytest.fixture
def dusseldorf(demo):
    # The demo's city is no partner of its own: here it is one of Chemnitz's, say.
    partner = make_partner(name_de="Düsseldorf", name_en="Düsseldorf", slug="duesseldorf")
    make_relationship(partner, make_kind("twin_city"))
    return partner


# --- Spellings a reader types ---


@pytest.mark.parametrize(
    "query",
    [
        "Warszawa",  # Polish: one of the demo's other names
        "Varsovie",  # French: another
        "varsovie",
        "VARŠAVA",  # Czech, in capitals
        "Варшава",  # Russian
    ],
)
def test_search_finds_a_partner_by_its_other_names(client, demo, query):
    assert directory(client, q=query) == ["warsaw"]


@pytest.mark.parametrize("query", ["dusseldorf", "DÜSSELDORF", "Dusseldorf", "düssel"])
def test_search_ignores_accents_and_case(client, dusseldorf, query):
    assert directory(client, "de", q=query) == ["duesseldorf"]


def test_search_folds_letters_of_their_own(client, demo):
    lodz = make_partner(name_de="Łódź", slug="lodz")
    make_relationship(lodz, make_kind("twin_city"))
    assert directory(client, "de", q="lodz") == ["lodz"]


@pytest.mark.parametrize("query", ["warsawa", "Warshau", "varsowie"])
def test_search_forgives_a_typo_on_postgresql_only(client, demo, query):
    # Trigram word similarity (pg_trgm); SQLite finds only what contains the query.
    expected = ["warsaw"] if POSTGRES else []
    assert directory(client, q=query) == expected


def test_search_forgives_a_typo_in_a_name_with_accents_on_postgresql_only(client, dusseldorf):
    expected = ["duesseldorf"] if POSTGRES else []
    assert directory(client, "de", q="dusseldrof") == expected


def test_search_does_not_find_everything_that_shares_a_few_letters(client, demo):
    assert directory(client, q="Warzone") == []
    assert directory(client, q="Atlantis") == []


def test_search_of_a_percent_or_underscore_is_literal(client, demo):
    assert directory(client, q="%") == []
    assert directory(client, q="_") == []


def test_search_covers_a_language_added_later(client, demo, settings):
    # Nothing may assume a number of languages: every configured language's name is searched.
    codes = [code for code, _name in settings.LANGUAGES]
    assert search.searched_fields() == [f"name_{code}" for code in codes] + ["other_names"]
    assert directory(client, q="Hajfa") == ["haifa"]  # Polish, the language added last
    settings.LANGUAGES = [("de", "German"), ("en", "English")]
    assert search.searched_fields() == ["name_de", "name_en", "other_names"]
    assert directory(client, q="ורשה") == []  # Hebrew is no longer searched


def test_other_names_come_in_from_a_file_and_are_searched(client, demo):
    table = open_table(
        csv_bytes([["slug", "other_names"], ["moscow", "Moskva\nМосква"], ["toulouse", ""]])
    )
    report = import_table(table)
    assert report.ok, report.errors
    assert Partner.objects.get(slug="moscow").other_names == "Moskva\nМосква"
    assert directory(client, q="moskva") == ["moscow"]


def test_other_names_are_edited_in_the_admin(admin_client, demo):
    warsaw = Partner.objects.get(slug="warsaw")
    html = admin_client.get(reverse("admin:partnerships_partner_change", args=[warsaw.pk]))
    assert 'name="other_names"' in html.content.decode()
    found = admin_client.get(reverse("admin:partnerships_partner_changelist"), {"q": "Varsovie"})
    assert list(found.context["cl"].result_list) == [warsaw]


# --- Ranking: the name itself, then names that start with it, then the rest ---


@pytest.fixture
def warsaws(demo):
    kind = make_kind("city_friendship")
    for slug, name in [
        ("neu-warschau", "Neu-Warschau"),
        ("warschauer-vorstadt", "Warschauer Vorstadt"),
    ]:
        make_relationship(make_partner(name_de=name, name_en=name, slug=slug), kind)


@pytest.mark.parametrize("sort", ["name", "-name", "year", "-year"])
def test_search_ranks_the_name_first_then_names_starting_with_it(client, warsaws, sort):
    # Whatever the chosen order, which applies within each rank.
    assert directory(client, "de", q="warschau", sort=sort) == [
        "warsaw",
        "warschauer-vorstadt",
        "neu-warschau",
    ]


@pytest.mark.skipif(not POSTGRES, reason="SQLite finds nothing merely similar")
def test_search_ranks_similar_names_after_those_containing_the_query(client, demo):
    kind = make_kind("city_friendship")
    make_relationship(make_partner(name_de="Point Warsaw", slug="point"), kind)  # contains
    make_relationship(make_partner(name_de="Warsa", slug="warsa"), kind)  # like it
    assert directory(client, q="warsaw") == ["warsaw", "point", "warsa"]


# --- Order: as a reader of the language expects ---

GERMAN_ORDER = ["Ägypten", "Århus", "Berlin", "Łódź", "Zürich"]


@pytest.fixture
def places(db):
    kind = make_kind("twin_city")
    for number, name in enumerate(reversed(GERMAN_ORDER)):
        make_relationship(make_partner(name_de=name, slug=f"place-{number}"), kind)


def names_in_order(client, language, **params):
    slugs = directory(client, language, **params)
    names = {partner.slug: partner.name_de for partner in Partner.objects.all()}
    return [names[slug] for slug in slugs]


def test_directory_sorts_german_names_with_their_base_letters(client, places):
    assert names_in_order(client, "de") == GERMAN_ORDER
    assert names_in_order(client, "de", sort="-name") == list(reversed(GERMAN_ORDER))


def test_directory_sorts_by_the_readers_language_also_where_it_falls_back(client, places):
    # No English names: English readers see (and get sorted) the German ones.
    assert names_in_order(client, "en") == GERMAN_ORDER


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's ICU collations")
def test_each_language_sorts_by_its_own_collation(db):
    for code in [code for code, _name in settings.LANGUAGES]:
        assert search.collated(F("name_de"), code, "postgresql").collation == f"{code}-x-icu"
    # Django's "pt-br" is PostgreSQL's "pt-BR-x-icu"; a language it has none for gets the root's.
    assert search.icu_collation("pt-br") == "pt-BR-x-icu"
    assert search.collated(F("name_de"), "tlh", "postgresql").collation == "und-x-icu"


# --- Cost: the index, and a fixed number of queries ---


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's trigram indexes")
def test_every_searched_field_has_its_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [Partner._meta.db_table],
        )
        indexes = dict(cursor.fetchall())
    for field in search.searched_fields():
        definition = indexes[search.trigram_index_name(field)]
        assert re.search(rf"USING gin \(partnerships_fold\(\(?{field}\b.*gin_trgm_ops", definition)


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's trigram indexes")
def test_search_uses_the_trigram_indexes_with_many_partners(demo):
    add_partners(5000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Partner._meta.db_table}, {Relationship._meta.db_table}")
    relationships = search.search(Relationship.objects.all(), "warsawa", via="partner__")
    plan = relationships.explain()
    for field in search.searched_fields():
        assert search.trigram_index_name(field) in plan, plan
    assert "Seq Scan on partnerships_partner" not in plan, plan


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's collated indexes")
def test_every_language_has_its_sort_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = %s", [Partner._meta.db_table]
        )
        indexes = {name for (name,) in cursor.fetchall()}
    for code, _name in settings.LANGUAGES:
        assert search.sort_index_name(code) in indexes


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's collated indexes")
@pytest.mark.parametrize(
    ("language", "order"),
    [
        ("de", ("sort_name", "since")),
        ("en", ("-sort_name", "since")),
        ("he", ("sort_name", "since")),
    ],
)
def test_the_first_page_in_order_reads_the_sort_index_not_every_partner(demo, language, order):
    add_partners(5000)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Partner._meta.db_table}, {Relationship._meta.db_table}")
    first_page = (
        Relationship.objects.filter(partner__is_published=True)
        .annotate(sort_name=search.sort_name(language, "postgresql", via="partner__"))
        .order_by(*order, "pk")[:50]
    )
    plan = first_page.explain()
    assert f"Index Scan{' Backward' if order[0][0] == '-' else ''} using " in plan, plan
    assert search.sort_index_name(language) in plan, plan


@pytest.mark.parametrize(
    ("query", "queries"),
    [
        # Each with the office's pages in the navigation.
        ("Varsovie", 6),
        ("e", 6),  # every partner
        # Found on PostgreSQL; on SQLite nothing is, and then there is no page of results to read.
        ("warsawa", 6 if POSTGRES else 5),
    ],
)
def test_a_search_costs_a_fixed_number_of_queries(
    client, demo, django_assert_num_queries, settings, query, queries
):
    settings.PUBLIC_PAGE_CACHE = False
    add_partners(300)
    # What every reader but the version's first finds: its figures, stored (tests/test_overview.py).
    figures.for_version(ContentChange.last())
    with django_assert_num_queries(queries):
        directory(client, q=query)
