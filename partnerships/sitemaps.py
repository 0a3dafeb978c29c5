"""sitemap.xml: every public page in every language, with hreflang alternates and x-default."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import ContentChange, Page, Partner


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class PageSitemap(LocalizedSitemap):
    """The overview, the directory and the legal pages."""

    def items(self):
        keys = set(Page.objects.values_list("key", flat=True))
        self.last_change = ContentChange.last()  # one query, not one per page and language
        return ["overview", "directory"] + [
            key for key in (Page.Key.ACCESSIBILITY, Page.Key.IMPRINT) if key in keys
        ]

    def location(self, item):
        return reverse(f"partnerships:{item}")

    def lastmod(self, item):
        return self.last_change


class PartnerSitemap(LocalizedSitemap):
    def items(self):
        return Partner.objects.published().order_by("slug").only("slug", "updated")

    def lastmod(self, partner):
        return partner.updated


sitemaps = {"pages": PageSitemap, "partners": PartnerSitemap}
