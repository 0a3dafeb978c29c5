"""Countries' names in the reader's language, translated once per language and process.

django-countries translates a name on every access (`Country.name`, `countries.name()`): a
fraction of a millisecond each, which the overview at national scale paid some 250 times per
render (every country on its map, in the list beside it, and in their sort) and the directory
for every country in its filter. The names come from django-countries' own list and its
translations, which do not change while the process runs.
"""

from dataclasses import dataclass
from functools import cache

from django.utils.translation import get_language
from django_countries import countries


@cache
def _names(language):
    # Iterating `countries` translates every name into the active language: `language`.
    return dict(countries)


def country_name(code):
    """The name of the country `code` (ISO 3166 alpha-2) in the active language; "" if unknown."""
    return _names(get_language()).get(code, "")


@dataclass(frozen=True)
class NamedCountry:
    """A country with its name in the active language, for templates that read `.code` and
    `.name` (as of django-countries' Country) many times."""

    code: str
    name: str

    def __str__(self):
        return self.code


def named_country(code):
    return NamedCountry(code, country_name(code))
