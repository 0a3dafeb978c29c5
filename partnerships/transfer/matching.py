"""Which partner a row names.

A row can name its partner three ways, in this order of precedence: its Wikidata id, its slug,
and a name in any language together with the country. The first that names a partner decides,
but every other way the row gives must agree with it:

- an identifier (Wikidata id, slug) agrees when it names the same partner, or when it names no
  partner and the partner has no value for it yet (a Wikidata id added to a partner that had
  none);
- the names agree when they name the same partner or no partner at all.

Anything else is an error that names both partners ("the names match Warschau (warsaw), but the
slug says brand-new-city"): an import never renames one place into another, never moves a
partner's address and never merges two places. A row that names no partner makes a new one; it
needs a name and a country, and its names must not be another partner's.

The partners a chunk of rows can name are found in one query (`PartnerIndex.load`); partners
that earlier rows of the same chunk create are added to the index as they are planned, and the
ones of earlier chunks are in the database by then.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..models import Partner
from .columns import LANGUAGE_CODES, fold


@dataclass
class Match:
    partner: Partner | None = None
    column: str = ""
    value: str = ""
    error: str = ""


def describe(partner):
    """A partner as an error names it: its German name and its slug."""
    return f"{partner.name_de or partner.name} ({partner.slug or _('new')})"


def row_names(values):
    return [values[f"name_{code}"] for code in LANGUAGE_CODES if values.get(f"name_{code}")]


class PartnerIndex:
    def __init__(self):
        self.by_wikidata = {}
        self.by_slug = {}
        self.by_name = {}  # (country, folded name) -> [partners]

    @classmethod
    def load(cls, rows):
        """The partners that `rows` may name, found in one query."""
        index = cls()
        wikidata_ids = {r.partner.get("wikidata_id") for r in rows} - {None, ""}
        slugs = {r.partner.get("slug") for r in rows} - {None, ""}
        exact = {name for r in rows for name in row_names(r.partner)}
        query = Q(wikidata_id__in=wikidata_ids) | Q(slug__in=slugs)
        if exact:
            # Lower() is ASCII-only on SQLite and not casefold() on PostgreSQL ("ß"): the
            # folded, lowered and exact names together find every candidate; `fold` decides.
            lowered = {fold(name) for name in exact} | {name.lower() for name in exact}
            annotations = {f"_lower_{code}": Lower(f"name_{code}") for code in LANGUAGE_CODES}
            for code in LANGUAGE_CODES:
                query |= Q(**{f"_lower_{code}__in": lowered}) | Q(**{f"name_{code}__in": exact})
            found = Partner.objects.alias(**annotations).filter(query)
        elif wikidata_ids or slugs:
            found = Partner.objects.filter(query)
        else:
            found = []
        for partner in found:
            index.add(partner)
        return index

    def add(self, partner):
        """Make `partner` findable by its keys (also a new one that earlier rows planned)."""
        if partner.wikidata_id:
            self.by_wikidata[partner.wikidata_id] = partner
        if partner.slug:
            self.by_slug[partner.slug] = partner
        country = partner.country.code if partner.country else ""
        for code in LANGUAGE_CODES:
            name = getattr(partner, f"name_{code}")
            if name:
                named = self.by_name.setdefault((country, fold(name)), [])
                if all(other is not partner for other in named):
                    named.append(partner)

    def forget_names(self, partner, names_before):
        """After a row renamed `partner`, its old names no longer name it."""
        for key in names_before:
            named = self.by_name.get(key, [])
            named[:] = [other for other in named if other is not partner]

    def name_keys(self, partner):
        country = partner.country.code if partner.country else ""
        return [
            (country, fold(getattr(partner, f"name_{code}")))
            for code in LANGUAGE_CODES
            if getattr(partner, f"name_{code}")
        ]

    def named_by(self, values, country):
        """The partners that the row's names (with `country`) name, without repeats."""
        found = []
        for name in row_names(values):
            for partner in self.by_name.get((country, fold(name)), []):
                if all(other is not partner for other in found):
                    found.append(partner)
        return found

    def match(self, values):
        """The row's partner (None: a new one), or an error that says which keys disagree."""
        wikidata_id, slug = values.get("wikidata_id"), values.get("slug")
        by_wikidata = self.by_wikidata.get(wikidata_id) if wikidata_id else None
        by_slug = self.by_slug.get(slug) if slug else None
        partner = by_wikidata or by_slug

        if by_wikidata and by_slug and by_wikidata is not by_slug:
            return Match(
                column="slug",
                value=slug,
                error=_("The Wikidata id names %(a)s, but the slug names %(b)s.")
                % {"a": describe(by_wikidata), "b": describe(by_slug)},
            )
        if partner is not None:
            if slug and by_slug is None:
                return Match(
                    column="slug",
                    value=slug,
                    error=_(
                        "The Wikidata id names %(a)s, but the slug says %(slug)s. A partner's "
                        "slug is its web address: change it in the admin, not by an import."
                    )
                    % {"a": describe(partner), "slug": slug},
                )
            if wikidata_id and by_wikidata is None and partner.wikidata_id:
                return Match(
                    column="wikidata_id",
                    value=wikidata_id,
                    error=_("The slug names %(a)s, whose Wikidata id is %(id)s, not %(given)s.")
                    % {"a": describe(partner), "id": partner.wikidata_id, "given": wikidata_id},
                )

        country = values.get("country") or (partner.country.code if partner else "")
        named = self.named_by(values, country) if country else []
        if partner is not None:
            others = [other for other in named if other is not partner]
            if others:
                key = _("Wikidata id") if by_wikidata else _("slug")
                return Match(
                    column="name_*",
                    value=", ".join(row_names(values)),
                    error=_("The names match %(b)s, but the %(key)s names %(a)s.")
                    % {"b": describe(others[0]), "key": key, "a": describe(partner)},
                )
            return Match(partner=partner)

        if len(named) > 1:
            return Match(
                column="name_*",
                value=", ".join(row_names(values)),
                error=_(
                    "The names match %(a)s and %(b)s; give the slug or the Wikidata id of the "
                    "one you mean."
                )
                % {"a": describe(named[0]), "b": describe(named[1])},
            )
        if named:
            found = named[0]
            if slug:
                return Match(
                    column="slug",
                    value=slug,
                    error=_(
                        "The names match %(a)s, but the slug says %(slug)s, which names no "
                        "partner. Give %(a_slug)s to update it, or other names for a new partner."
                    )
                    % {"a": describe(found), "slug": slug, "a_slug": found.slug},
                )
            if wikidata_id and found.wikidata_id:
                return Match(
                    column="wikidata_id",
                    value=wikidata_id,
                    error=_("The names match %(a)s, whose Wikidata id is %(id)s, not %(given)s.")
                    % {"a": describe(found), "id": found.wikidata_id, "given": wikidata_id},
                )
            return Match(partner=found)

        if not row_names(values) or not values.get("country"):
            column, value = ("wikidata_id", wikidata_id) if wikidata_id else ("slug", slug or "")
            message = (
                _("No partner has this Wikidata id; a new one needs a name and a country.")
                if wikidata_id
                else _("No partner has this slug; a new one needs a name and a country.")
            )
            return Match(column=column, value=value, error=message)
        return Match()
