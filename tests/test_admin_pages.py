"""The pages every page links to (imprint, accessibility statement) cannot be deleted.

The admin speaks German unless the browser asks otherwise: the messages are checked in German.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from partnerships.models import Page

from .adminforms import make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, demo):
    client.force_login(make_editor())
    return client


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_footer_links_exactly_the_protected_pages(client, demo):
    html = client.get(reverse("partnerships:overview")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    # The protected pages, and the form to report a barrier (partnerships/feedback/).
    assert footer.count("<li>") == len(Page.LINKED_FROM_EVERY_PAGE) + 1
    for key in Page.LINKED_FROM_EVERY_PAGE:
        assert f'href="{reverse(f"partnerships:{key}")}"' in footer
    assert f'href="{reverse("feedback:report")}?page=' in footer


@pytest.mark.parametrize("key", Page.LINKED_FROM_EVERY_PAGE)
def test_a_linked_page_cannot_be_deleted_from_its_delete_page(editor_client, key):
    page = Page.objects.get(key=key)
    url = reverse("admin:partnerships_page_delete", args=[page.pk])
    change_url = reverse("admin:partnerships_page_change", args=[page.pk])
    for response in (editor_client.get(url), editor_client.post(url, {"post": "yes"})):
        assert response.status_code == 302
        assert response.url == change_url
        assert any("nicht gelöscht werden" in message for message in messages_of(response))
    assert Page.objects.filter(key=key).exists()
    # Its page offers no delete button to begin with.
    html = editor_client.get(change_url).content.decode()
    assert url not in html


def test_delete_selected_with_a_linked_page_deletes_nothing_and_says_why(editor_client):
    pages = Page.objects.filter(key__in=[Page.Key.OVERVIEW, Page.Key.IMPRINT])
    assert pages.count() == 2
    url = reverse("admin:partnerships_page_changelist")
    data = {"action": "delete_selected", "_selected_action": [page.pk for page in pages]}
    for extra in ({}, {"post": "yes"}):  # the confirmation page, and its confirmation
        response = editor_client.post(url, {**data, **extra}, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        assert "nicht gelöscht werden" in html and str(Page.objects.get(key="imprint")) in html
        assert Page.objects.filter(pk__in=[page.pk for page in pages]).count() == 2


def test_other_pages_can_still_be_deleted(editor_client):
    overview = Page.objects.get(key=Page.Key.OVERVIEW)
    url = reverse("admin:partnerships_page_changelist")
    data = {"action": "delete_selected", "_selected_action": [overview.pk], "post": "yes"}
    assert editor_client.post(url, data).status_code == 302
    assert not Page.objects.filter(pk=overview.pk).exists()
    other = Page.objects.create(key=Page.Key.OVERVIEW, title_de="Übersicht")
    response = editor_client.post(
        reverse("admin:partnerships_page_delete", args=[other.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Page.objects.filter(pk=other.pk).exists()
