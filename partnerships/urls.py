from django.urls import include, path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("partners/", views.directory, name="directory"),
    path("partners/<slug:slug>/", views.partner_detail, name="partner-detail"),
    path(
        "accessibility/",
        views.legal_page,
        {"key": "accessibility"},
        name="accessibility",
    ),
    path("imprint/", views.legal_page, {"key": "imprint"}, name="imprint"),
    # Associations, events, their calendars and the jubilees (partnerships/exchanges/).
    path("", include("partnerships.exchanges.urls")),
    path("pages/<slug:slug>/", views.office_page, name="office-page"),
    path("privacy/", views.legal_page, {"key": "privacy"}, name="privacy"),
    path("easy-language/", views.legal_page, {"key": "easy-language"}, name="easy-language"),
    path("sign-language/", views.legal_page, {"key": "sign-language"}, name="sign-language"),
]
