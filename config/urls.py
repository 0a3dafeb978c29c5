from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from partnerships.health import healthz

admin.site.site_header = _("International relations – editing")
admin.site.site_title = _("International relations")
admin.site.index_title = _("Content of the international-relations pages")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

# Every public page lives under its language prefix (/de/, /en/, /he/); "/" redirects to the
# reader's language through LocaleMiddleware.
urlpatterns += i18n_patterns(
    path("", include("partnerships.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
