import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.urls import reverse

from partnerships.models import Contact, Milestone, Office, Page, Partner, Relationship

from .factories import bulk_partners, make_kind

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [
    "partner",
    "relationshipkind",
    "relationship",
    "milestone",
    "office",
    "contact",
    "page",
    "officepage",
    "accessibilitystatement",
    "inaccessiblepart",
    "imprint",
    "signlanguagevideo",
]
ADMIN_MODELS = [
    "partner",
    "relationshipkind",
    "relationship",
    "office",
    "contact",
    "page",
    "officepage",
]
# One row each: their list and add pages lead to the row (tests/test_legal_pages.py).
SINGLE_ROW_ADMIN_MODELS = ["accessibilitystatement", "imprint", "signlanguagevideo"]


@pytest.fixture
def editor(db):
    user = User.objects.create_user("redaktion", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Partnership editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_editors_group_can_edit_and_import_exactly_the_content():
    group = Group.objects.get(name="Partnership editors")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = (
        {
            ("partnerships", f"{action}_{model}")
            for model in CONTENT_MODELS
            for action in ("add", "change", "delete", "view")
        }
        | {
            ("partnerships", "import_partner"),
            ("partnerships", "import_relationship"),
            ("transfer", "view_changeset"),
            ("transfer", "undo_changeset"),
            ("transfer", "view_importrun"),
            ("transfer", "view_savedmapping"),
            ("transfer", "delete_savedmapping"),
            ("feedback", "view_report"),
            ("feedback", "change_report"),
        }
        | {
            ("exchanges", f"{action}_{model}")
            for model in ("association", "event")
            for action in ("add", "change", "delete", "view")
        }
    )
    assert granted == expected


def test_editors_cannot_manage_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_every_list_and_add_page_renders_for_an_editor(editor_client, demo, model):
    for view in ("changelist", "add"):
        response = editor_client.get(reverse(f"admin:partnerships_{model}_{view}"))
        assert response.status_code == 200, (model, view)


@pytest.mark.parametrize("model", SINGLE_ROW_ADMIN_MODELS)
def test_every_single_row_page_renders_for_an_editor(editor_client, demo, model):
    """The list leads to the row, or to adding it where there is none yet (the video)."""
    response = editor_client.get(reverse(f"admin:partnerships_{model}_changelist"))
    assert response.status_code == 302
    assert editor_client.get(response.url).status_code == 200, model


@pytest.mark.parametrize(
    "model_class", [Partner, Relationship, Office, Contact, Page], ids=lambda m: m.__name__
)
def test_every_change_page_renders_for_an_editor(editor_client, demo, model_class):
    for obj in model_class.objects.all()[:3]:
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        response = editor_client.get(url)
        assert response.status_code == 200, url


def test_kind_change_page_renders(editor_client, demo):
    kind = make_kind("twin_city")
    url = reverse("admin:partnerships_relationshipkind_change", args=[kind.pk])
    assert editor_client.get(url).status_code == 200


def test_admin_is_german_with_language_tabs(editor_client, demo):
    partner = Partner.objects.get(slug="warsaw")
    response = editor_client.get(
        reverse("admin:partnerships_partner_change", args=[partner.pk]), HTTP_ACCEPT_LANGUAGE="de"
    )
    html = response.content.decode()
    assert 'lang="de"' in html
    # One input per configured language for each translated field, tabbed by modeltranslation.
    for code, _name in settings.LANGUAGES:
        assert f'name="name_{code}"' in html
    assert "tabbed_translation_fields.js" in html
    assert "googleapis" not in html


def test_partner_search_finds_names_in_every_language(editor_client, demo):
    url = reverse("admin:partnerships_partner_changelist")
    for term in ("Warschau", "Warsaw", "ורשה"):
        response = editor_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [Partner.objects.get(slug="warsaw")]


def test_partner_list_filters_by_kind_and_status(editor_client, demo):
    url = reverse("admin:partnerships_partner_changelist")
    response = editor_client.get(url, {"relationship": "agenda21_partnership"})
    assert {p.slug for p in response.context["cl"].result_list} == {
        "belo-horizonte",
        "mbombela",
        "chongqing",
    }
    response = editor_client.get(url, {"status": "suspended"})
    assert [p.slug for p in response.context["cl"].result_list] == ["moscow"]


def test_partner_list_costs_the_same_queries_for_many_partners(
    editor_client, demo, django_assert_num_queries
):
    url = reverse("admin:partnerships_partner_changelist")
    editor_client.get(url)  # warm the session and content types
    # VersionAdmin wraps the list in a revision: a SAVEPOINT and its RELEASE inside tests.
    with django_assert_num_queries(12) as small:
        editor_client.get(url)
    bulk_partners(200, make_kind("twin_city"))
    with django_assert_num_queries(len(small.captured_queries)):
        editor_client.get(url)


def partner_form(partner, **changes):
    """The change form's POST data for a partner with its existing relationships."""
    relationships = list(partner.relationships.all())
    data = {
        "name_de": partner.name_de,
        "name_en": partner.name_en or "",
        "name_he": "",
        "slug": partner.slug,
        "kind": partner.kind,
        "country": partner.country.code,
        "is_published": "on",
        "relationships-TOTAL_FORMS": str(len(relationships)),
        "relationships-INITIAL_FORMS": str(len(relationships)),
        "relationships-MIN_NUM_FORMS": "0",
        "relationships-MAX_NUM_FORMS": "1000",
    }
    for i, rel in enumerate(relationships):
        data.update(
            {
                f"relationships-{i}-id": str(rel.pk),
                f"relationships-{i}-partner": str(partner.pk),
                f"relationships-{i}-kind": str(rel.kind_id),
                f"relationships-{i}-status": rel.status,
                f"relationships-{i}-since": rel.since,
                f"relationships-{i}-until": rel.until,
            }
        )
    data.update(changes)
    return data


def test_saving_a_partner_through_the_admin_works(editor_client, demo):
    partner = Partner.objects.get(slug="chongqing")
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    response = editor_client.post(url, partner_form(partner, name_en="Chongqing Municipality"))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name_en == "Chongqing Municipality"


def test_a_second_relationship_of_the_same_kind_is_a_form_error(editor_client, demo):
    partner = Partner.objects.get(slug="warsaw")
    twin = partner.relationships.get()
    data = partner_form(partner)
    data.update(
        {
            "relationships-TOTAL_FORMS": "2",
            "relationships-1-partner": str(partner.pk),
            "relationships-1-kind": str(twin.kind_id),
            "relationships-1-status": "active",
            "relationships-1-since": "2020",
        }
    )
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Bitte korrigieren" in response.content.decode() or response.context["errors"]
    assert partner.relationships.count() == 1


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"latitude": "95"}, "latitude"),
        ({"wikidata_id": "Q270x"}, "wikidata_id"),
        ({"slug": "reading"}, "slug"),
        ({"name_de": ""}, "name_de"),
    ],
)
def test_bad_partner_values_are_form_errors_not_500(editor_client, demo, changes, field):
    partner = Partner.objects.get(slug="warsaw")
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    response = editor_client.post(url, partner_form(partner, **changes))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


def test_duplicate_wikidata_id_is_a_form_error(editor_client, demo):
    partner = Partner.objects.get(slug="warsaw")
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    response = editor_client.post(url, partner_form(partner, wikidata_id="Q649"))  # Moscow's
    assert response.status_code == 200
    assert "Wikidata" in str(response.context["adminform"].form.errors)


def test_bad_since_date_on_a_relationship_is_a_form_error(editor_client, demo):
    partner = Partner.objects.get(slug="warsaw")
    url = reverse("admin:partnerships_partner_change", args=[partner.pk])
    response = editor_client.post(
        url, partner_form(partner, **{"relationships-0-since": "31.02.1989"})
    )
    assert response.status_code == 200
    assert Relationship.objects.get(partner=partner).since == "1989"


def test_milestones_are_edited_on_the_relationship(editor_client, demo):
    relationship = Relationship.objects.get(partner__slug="moscow")
    url = reverse("admin:partnerships_relationship_change", args=[relationship.pk])
    html = editor_client.get(url).content.decode()
    assert "milestones-0-date" in html
    assert Milestone.objects.filter(relationship=relationship).count() == 2


def test_country_filter_offers_only_the_partners_countries_in_german(editor_client, demo):
    response = editor_client.get(
        reverse("admin:partnerships_partner_changelist"), HTTP_ACCEPT_LANGUAGE="de"
    )
    country_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "country"
    )
    names = [name for _code, name in country_filter.lookup_choices]
    assert "Polen" in names and "China" in names and "Vereinigtes Königreich" in names
    assert len(names) == 11  # GB IL PL RU CN DE ES FR JP BR ZA
    response = editor_client.get(
        reverse("admin:partnerships_partner_changelist"), {"country": "CN"}
    )
    assert {p.slug for p in response.context["cl"].result_list} == {
        "chongqing",
        "shenyang",
        "guangzhou",
    }
