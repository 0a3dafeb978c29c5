"""The sitemap: an index (sitemap.xml) of sections, each in pages of at most 10,000 addresses.

Every public page is listed in every language, with its hreflang alternates and x-default. The
protocol allows 50,000 addresses in one file (https://www.sitemaps.org/protocol.html#index), so
sitemap.xml is Django's sitemap index, naming sitemap-pages.xml and sitemap-partners.xml and,
past settings.SITEMAP_PAGE_ADDRESSES (10,000; see `LocalizedSitemap.limit`), their further
pages (`?p=2`...).

Django's i18n sitemap pages over (item, language) pairs, each one address, but builds the list
of every pair of the section (every partner, once per language) for every page it renders and
for the index. Here a page reads only its own items from the database, and the index counts
them there.
"""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.translation import get_language

from .models import ContentChange, OfficePage, Page, Partner


class EveryItemInEveryLanguage(Sequence):
    """(item, language) for every item and language, as Django's i18n sitemap pages them.

    Lazy: its length is the items' count times the languages, and a slice reads from `items` (a
    queryset) only the items it covers. Every item is listed in every language.
    """

    def __init__(self, items, languages):
        self.items = items
        self.languages = list(languages)
        self.item_count = None

    def __len__(self):
        if self.item_count is None:
            self.item_count = (
                self.items.count() if hasattr(self.items, "query") else len(self.items)
            )
        return self.item_count * len(self.languages)

    def __getitem__(self, index):
        per_item = len(self.languages)
        if not isinstance(index, slice):
            item, language = divmod(index if index >= 0 else len(self) + index, per_item)
            return self.items[item], self.languages[language]
        start, stop, step = index.indices(len(self))
        first_item, last_item = start // per_item, -(-stop // per_item)
        pairs = [
            (item, language)
            for item in self.items[first_item:last_item]
            for language in self.languages
        ]
        offset = first_item * per_item
        return pairs[start - offset : stop - offset : step]


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    @property
    def limit(self):
        """settings.SITEMAP_PAGE_ADDRESSES, at most the protocol's 50,000, in whole items.

        Rounded down to whole items in every language, so that a page never splits an item's
        languages between two pages. Fewer than the protocol allows by default: a page of
        50,000 addresses, each with its alternates, is 25 MB, which takes a worker 6–8 s to
        render and the page cache 25 MB to keep; one of 10,000 is a fifth of both.
        """
        addresses = min(settings.SITEMAP_PAGE_ADDRESSES, Sitemap.limit)
        return max(addresses // len(self._languages()), 1) * len(self._languages())

    def _items(self):
        return EveryItemInEveryLanguage(self.items(), self._languages())

    def get_latest_lastmod(self):
        # For the index: when the content last changed, without reading every item's date.
        return ContentChange.last()


# The lists of partnerships/exchanges/, there whether or not they list anything yet.
EXCHANGES_PAGES = ["events", "events-archive", "associations", "jubilees"]


class PageSitemap(LocalizedSitemap):
    """The overview, the directory, the events' and associations' lists, the legal pages, the
    feedback form and the office's published pages."""

    def items(self):
        keys = set(Page.objects.values_list("key", flat=True))
        self.last_change = ContentChange.last()  # one query, not one per page and language
        office_pages = list(OfficePage.objects.published().only("slug", "updated"))
        return (
            ["overview", "directory", *EXCHANGES_PAGES]
            + [key for key in Page.LEGAL_PAGES if key in keys]
            + ["feedback:report"]
            + office_pages
        )

    def location(self, item):
        if isinstance(item, OfficePage):
            return item.get_absolute_url()
        return reverse(item if ":" in item else f"partnerships:{item}")

    def lastmod(self, item):
        if isinstance(item, OfficePage):
            return item.updated
        return self.last_change


class PartnerSitemap(LocalizedSitemap):
    # Stands for the slug in an address reversed once per language: a full page names 50,000
    # addresses, each with its alternates, and reverse() for each took a third of its time.
    SLUG = "slug-of-the-partner"

    def __init__(self):
        self.addresses = {}

    def items(self):
        return Partner.objects.published().order_by("slug").only("slug", "updated")

    def location(self, partner):
        language = get_language()
        if language not in self.addresses:
            self.addresses[language] = reverse("partnerships:partner-detail", args=[self.SLUG])
        # A slug is letters, digits, hyphens and underscores: reverse() would not quote it.
        return self.addresses[language].replace(self.SLUG, partner.slug)

    def lastmod(self, partner):
        return partner.updated


sitemaps = {"pages": PageSitemap, "partners": PartnerSitemap}


def section_url_name(section):
    """Each section's page has an address, and a name, of its own (config/urls.py)."""
    return f"sitemap-{section}"
