"""The directory's search and its order of names, as a reader expects them, in every language.

A name is searched folded: lower case, without accents, ł as l, ß as ss, so that "dusseldorf"
finds Düsseldorf. Every configured language's name is searched, and the partner's other names
(`Partner.other_names`: "Warszawa", "Varsovie"), so that a reader finds the partner by a name the
site does not show. Results are ranked: a name that is the query, then a name that starts with
it, then one that contains it, then (PostgreSQL only) one that is merely like it.

- PostgreSQL (production): `partnerships_fold()` is `lower(unaccent())`, declared IMMUTABLE
  (unaccent() itself is not, as its dictionary could change) so that each searched field has a
  GIN trigram index on its folded form (pg_trgm, migration `..._search`), which serves both the
  substring match (LIKE) and the typo-tolerant one: trigram word similarity (`%>`, at least
  SIMILARITY_THRESHOLD), so that "warsawa" finds Warsaw. Names are sorted by the ICU collation
  of the reader's language ("de-x-icu": Ä with the A's in German), or ICU's root collation
  ("und-x-icu") where PostgreSQL has none for it, each with an index on the very expression
  sorted by (`sort_name()`), so that the first page in order reads 50 partners, not all.
- SQLite (development, the tests' default): `partnerships_fold()` and the collation
  "alphabetical" are Python functions registered on every connection, both built on
  `alphabetical()`, the sort key the overview uses, so the two pages agree. A search finds a name
  that contains the query, accents and case folded, and nothing that is only similar: no typo
  tolerance, no index (a scan of every partner). The order is the same for every language.

Both are registered in one place, on every new database connection (`connection_created`).
"""

import functools
import unicodedata

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import (
    Case,
    CharField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate, Greatest, NullIf
from django.db.models.lookups import Contains, Exact, StartsWith
from django.dispatch import receiver
from django.utils.translation import to_locale
from modeltranslation.utils import build_localized_fieldname

# Letters of their own that decomposition does not reduce to a base letter and an accent.
SEPARATE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"})

FOLD_FUNCTION = "partnerships_fold"
SQLITE_COLLATION = "alphabetical"
ROOT_COLLATION = "und-x-icu"
# How alike (pg_trgm's word similarity) a name must be to a query to be found by it.
SIMILARITY_THRESHOLD = 0.5

# How a result ranks (lower first).
EXACT, PREFIX, CONTAINS, SIMILAR = range(4)


def fold(text):
    """A name as a reader compares it: case and accents ignored, Łódź as lodz."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return base.translate(SEPARATE_LETTERS)


@functools.lru_cache(maxsize=10_000)
def alphabetical(text):
    """Sort key for a name as a reader expects it: Ägypten with the A's, Łódź with the L's.

    Plain string comparison goes by code point and puts every accented initial after Z. Names
    that fold alike are ordered by their case-folded form, so the order is total.
    """
    return fold(text), str(text).casefold()


class Fold(Func):
    """`partnerships_fold(text)`: the name folded, in the database (see the module's docstring)."""

    function = FOLD_FUNCTION
    output_field = TextField()


def searched_fields():
    """Every field a search looks at: the name in each configured language, the other names."""
    names = [build_localized_fieldname("name", code) for code, _name in settings.LANGUAGES]
    return [*names, "other_names"]


def search(queryset, query, via=""):
    """`queryset` narrowed to what matches `query`, ranked: order it by RANKING first.

    `via` is the path from the queryset's model to the partner, e.g. "partner__".
    """
    postgres = connections[queryset.db].vendor == "postgresql"
    wanted = Fold(Value(query))
    folded = {field: Fold(F(f"{via}{field}")) for field in searched_fields()}
    contains = Q(*[Contains(name, wanted) for name in folded.values()], _connector=Q.OR)
    matches = contains
    if postgres:
        similar = [TrigramWordSimilar(name, wanted) for name in folded.values()]
        matches |= Q(*similar, _connector=Q.OR)
    # The other names are a list, which the query is not, nor starts: only names rank so high.
    names = [folded[field] for field in searched_fields() if field != "other_names"]
    rank = Case(
        When(Q(*[Exact(name, wanted) for name in names], _connector=Q.OR), then=Value(EXACT)),
        When(Q(*[StartsWith(name, wanted) for name in names], _connector=Q.OR), then=Value(PREFIX)),
        When(contains, then=Value(CONTAINS)),
        default=Value(SIMILAR),
        output_field=IntegerField(),
    )
    if postgres:
        # Among the merely similar, the most similar first.
        closeness = Case(
            When(contains, then=Value(1.0)),
            default=Greatest(*[TrigramWordSimilarity(wanted, name) for name in folded.values()]),
            output_field=FloatField(),
        )
    else:
        closeness = Value(1.0)
    return queryset.filter(matches).annotate(search_rank=rank, search_closeness=closeness)


RANKING = ("search_rank", "-search_closeness")


# --- Order: the reader's language's collation ---

# PostgreSQL's ICU collations for the configured languages, found on its first connection.
available_collations = set()


def icu_collation(language):
    # Django's "pt-br" is ICU's "pt-BR", and PostgreSQL names its collation "pt-BR-x-icu".
    return to_locale(language).replace("_", "-") + "-x-icu"


def postgresql_collation(language, available):
    """The collation for `language` among `available`; None on a PostgreSQL without ICU."""
    for name in (icu_collation(language), ROOT_COLLATION):
        if name in available:
            return name
    return None


def collated(expression, language, vendor):
    """`expression` in the collation that sorts names as a reader of `language` expects."""
    if vendor != "postgresql":
        return Collate(expression, SQLITE_COLLATION)
    name = postgresql_collation(language, available_collations)
    return Collate(expression, name) if name else expression  # else the database's own order


def sort_name(language, vendor, via=""):
    """The name a reader of `language` sees (the default language's where it has none), collated.

    On PostgreSQL an index per language holds this very expression (create_search_support), so
    that the directory's first page, in order, reads 50 partners and not all of them.
    """
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    name = F(f"{via}{build_localized_fieldname('name', default)}")
    if language != default:
        here = F(f"{via}{build_localized_fieldname('name', language)}")
        name = Coalesce(NullIf(here, Value("")), name, output_field=CharField())
    return collated(name, language, vendor)


# --- The functions and collations above, on every new connection ---


def fold_or_null(text):
    return None if text is None else fold(text)


def compare_alphabetically(first, second):
    first, second = alphabetical(first), alphabetical(second)
    return (first > second) - (first < second)


@receiver(connection_created)
def register_search_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        sqlite = connection.connection
        sqlite.create_function(FOLD_FUNCTION, 1, fold_or_null, deterministic=True)
        sqlite.create_collation(SQLITE_COLLATION, compare_alphabetically)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # pg_trgm's default, 0.6, misses "Warshau" for Warschau (0.55) and "varsowie" for
            # Varsovie; at 0.5, Berlin still does not find Bern (0.43), nor Moskow Moscow.
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {SIMILARITY_THRESHOLD}")
        if not available_collations:
            find_collations(connection)


def find_collations(connection):
    """Once per process: which of the languages' collations this PostgreSQL has.

    A build with ICU (Debian's, the official images) has one for every locale, one without none.
    """
    wanted = [icu_collation(code) for code, _name in settings.LANGUAGES] + [ROOT_COLLATION]
    with connection.cursor() as cursor:
        cursor.execute("SELECT collname FROM pg_collation WHERE collname = ANY(%s)", [wanted])
        available_collations.update(name for (name,) in cursor.fetchall())


# --- PostgreSQL's part, made by the migrations ---


def trigram_index_name(field):
    return f"partnerships_partner_{field}_trgm"


def sort_index_name(language):
    return f"partnerships_partner_{build_localized_fieldname('name', language)}_sort"


def create_search_support(apps, schema_editor):
    """The extensions, `partnerships_fold()`, a trigram index per searched field and a sort
    index per language (each IF NOT EXISTS).

    For the fields the migration's model has: a migration that adds a language
    (modeltranslation's `name_fr`) runs this again to index it; tests/test_directory_search.py
    checks that every searched field and every language has its index.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    execute = schema_editor.execute
    execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'unaccent'"
        )
        (schema,) = cursor.fetchone()
    # IMMUTABLE, which unaccent() is not (its dictionary could be edited): an index needs it. The
    # dictionary is named, with its schema, so the function does not depend on the search_path.
    execute(
        f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT lower({schema}.unaccent('{schema}.unaccent'::regdictionary, $1)) $$"
    )
    partner = apps.get_model("partnerships", "Partner")
    table = schema_editor.quote_name(partner._meta.db_table)
    columns = {field.name: schema_editor.quote_name(field.column) for field in partner._meta.fields}
    for field in searched_fields():
        if field in columns:
            execute(
                f"CREATE INDEX IF NOT EXISTS {trigram_index_name(field)} ON {table} "
                f"USING gin ({FOLD_FUNCTION}({columns[field]}) gin_trgm_ops)"
            )
    # The directory's order: sort_name() of each language, in the collation collated() picks.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT collname FROM pg_collation")
        available = {name for (name,) in cursor.fetchall()}
    default = build_localized_fieldname("name", settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
    for code, _name in settings.LANGUAGES:
        field = build_localized_fieldname("name", code)
        collation = postgresql_collation(code, available)
        if field not in columns or collation is None:
            continue
        name = columns[field]
        if field != default:
            name = f"COALESCE(NULLIF({name}, ''), {columns[default]})"
        execute(
            f"CREATE INDEX IF NOT EXISTS {sort_index_name(code)} ON {table} "
            f"(({name} COLLATE {schema_editor.quote_name(collation)}))"
        )


def drop_search_support(apps, schema_editor):
    """Back: the function and the indexes (the extensions stay, others may use them)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FOLD_FUNCTION}(text) CASCADE")
        for code, _name in settings.LANGUAGES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {sort_index_name(code)}")
