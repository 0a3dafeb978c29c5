from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from partnerships.health import healthz
from partnerships.open_data import files as open_data_files
from partnerships.open_data.views import data_file, dcat_catalogue
from partnerships.sitemaps import section_url_name, sitemaps
from partnerships.views import favicon_ico, robots_txt

admin.site.site_header = _("International relations – editing")
admin.site.site_title = _("International relations")
admin.site.index_title = _("Content of the international-relations pages")

urlpatterns = [
    path("admin/", admin.site.urls),
    # The sitemap index names each section's pages. Each section has an address of its own, so
    # that the page cache knows it by name (partnerships/caching.py); the index finds them by
    # their view and section (reverse() matches the section against each one's default).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": sitemap_views.sitemap},
        name="sitemap",
    ),
    *(
        path(
            f"sitemap-{section}.xml",
            sitemap_views.sitemap,
            {"sitemaps": sitemaps, "section": section},
            name=section_url_name(section),
        )
        for section in sitemaps
    ),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("favicon.ico", favicon_ico, name="favicon"),
    # Open data: one address for every language, since every file holds every language.
    # Served from the files the task worker writes after each change (partnerships/open_data/).
    path(
        "data/partnerships.csv", data_file, {"document": open_data_files.CSV}, name="open-data-csv"
    ),
    path(
        "data/partnerships.json",
        data_file,
        {"document": open_data_files.JSON},
        name="open-data-json",
    ),
    path(
        "data/partners.geojson",
        data_file,
        {"document": open_data_files.GEOJSON},
        name="open-data-geojson",
    ),
    *(
        path(f"data/{document.file_name}", data_file, {"document": document}, name=name)
        for document, name in [
            (open_data_files.ASSOCIATIONS, "open-data-associations"),
            (open_data_files.EVENTS, "open-data-events"),
            (open_data_files.JUBILEES, "open-data-jubilees"),
        ]
    ),
    # The datasets' metadata for data portals (GovData), in DCAT-AP.de.
    path("data/catalog.rdf", dcat_catalogue, {"serialisation": "rdf"}, name="open-data-dcat-rdf"),
    path("data/catalog.ttl", dcat_catalogue, {"serialisation": "ttl"}, name="open-data-dcat-ttl"),
    path("healthz", healthz, name="healthz"),
]

# Every public page lives under its language prefix (/de/, /en/, /he/); "/" redirects to the
# reader's language through LocaleMiddleware.
urlpatterns += i18n_patterns(
    path("", include("partnerships.urls")),
    # Reporting a barrier (BGG §12b): a form, which the page cache passes through uncached.
    path("accessibility/feedback/", include("partnerships.feedback.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
