"""Two editors, one partner: the later save is refused until its editor has seen the earlier."""

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.models import Partner

from .adminforms import change_form_data, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(client, demo, django_user_model):
    from django.test import Client

    anna, ben = Client(), Client()
    anna.force_login(make_editor("anna"))
    ben.force_login(make_editor("ben"))
    for browser in (anna, ben):
        browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return anna, ben


def url_of(partner):
    return reverse("admin:partnerships_partner_change", args=[partner.pk])


def test_the_pages_carry_the_timestamp_they_were_opened_at(two_editors):
    anna, _ben = two_editors
    warsaw = Partner.objects.get(slug="warsaw")
    page = anna.get(url_of(warsaw)).content.decode()
    assert f'name="opened_version" value="{warsaw.updated.isoformat()}"' in page
    assert 'name="relationships-0-opened_version"' in page  # each inline row too
    relationship = warsaw.relationships.get()
    rel_url = reverse("admin:partnerships_relationship_change", args=[relationship.pk])
    assert 'name="opened_version"' in anna.get(rel_url).content.decode()


def test_a_save_over_a_newer_save_is_refused_then_allowed_once_seen(two_editors):
    anna, ben = two_editors
    warsaw = Partner.objects.get(slug="warsaw")
    annas_page = anna.get(url_of(warsaw))
    bens_page = ben.get(url_of(warsaw))
    assert (
        ben.post(url_of(warsaw), change_form_data(bens_page, region="Mazowsze")).status_code == 302
    )

    with translation.override("en"):
        response = anna.post(url_of(warsaw), change_form_data(annas_page, population="2000000"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "was saved by ben" in page and "after you opened this form" in page
    assert "Region or state and Population." in page
    warsaw.refresh_from_db()
    assert warsaw.region == "Mazowsze" and warsaw.population == 1702139  # ben's save stands

    # Anna has seen it: saving the form as shown now replaces ben's save, knowingly.
    response = anna.post(url_of(warsaw), change_form_data(response))
    assert response.status_code == 302
    warsaw.refresh_from_db()
    assert warsaw.population == 2000000 and warsaw.region == "Masowien"


def test_a_relationship_saved_since_is_not_overwritten_by_the_partner_form(two_editors):
    anna, ben = two_editors
    warsaw = Partner.objects.get(slug="warsaw")
    relationship = warsaw.relationships.get()
    annas_page = anna.get(url_of(warsaw))
    rel_url = reverse("admin:partnerships_relationship_change", args=[relationship.pk])
    ben_data = change_form_data(ben.get(rel_url), summary_de="Von Ben.")
    assert ben.post(rel_url, ben_data).status_code == 302

    response = anna.post(
        url_of(warsaw), change_form_data(annas_page, **{"relationships-0-summary_de": "Von Anna."})
    )

    assert response.status_code == 200
    relationship.refresh_from_db()
    assert relationship.summary_de == "Von Ben."


def test_saving_without_a_change_in_between_is_not_a_conflict(two_editors):
    anna, _ben = two_editors
    warsaw = Partner.objects.get(slug="warsaw")
    first = anna.post(url_of(warsaw), change_form_data(anna.get(url_of(warsaw)), region="A"))
    second = anna.post(url_of(warsaw), change_form_data(anna.get(url_of(warsaw)), region="B"))
    assert (first.status_code, second.status_code) == (302, 302)


def test_an_import_since_the_form_opened_counts_too(two_editors):
    from partnerships.transfer.engine import import_table
    from partnerships.transfer.reading import open_table

    anna, _ben = two_editors
    warsaw = Partner.objects.get(slug="warsaw")
    annas_page = anna.get(url_of(warsaw))
    assert import_table(open_table(b"slug;population\nwarsaw;5\n")).ok

    response = anna.post(url_of(warsaw), change_form_data(annas_page, region="Neu"))

    assert response.status_code == 200
    warsaw.refresh_from_db()
    assert (warsaw.population, warsaw.region) == (5, "Masowien")


def test_the_conflict_is_told_in_german(two_editors):
    anna, ben = two_editors
    anna.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    warsaw = Partner.objects.get(slug="warsaw")
    annas_page = anna.get(url_of(warsaw))
    ben.post(url_of(warsaw), change_form_data(ben.get(url_of(warsaw)), region="Mazowsze"))

    with translation.override("de"):
        page = anna.post(url_of(warsaw), change_form_data(annas_page, region="X")).content.decode()

    assert "nachdem Sie dieses Formular geöffnet hatten" in page
    assert "Ihre Änderungen sind noch nicht gespeichert." in page


def test_a_view_only_page_still_opens(client, demo, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    client.force_login(viewer)
    warsaw = Partner.objects.get(slug="warsaw")

    response = client.get(url_of(warsaw))

    assert response.status_code == 200
    assert 'name="opened_version"' not in response.content.decode()
