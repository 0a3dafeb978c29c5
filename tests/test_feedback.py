"""Reporting a barrier (BGG §12b): the public form, its e-mail to the office, the admin, deletion.

The form is used as a browser without JavaScript uses it: GET, POST, follow the redirect. The
office's e-mail goes through Django's SMTP backend to a real SMTP server (aiosmtpd) started here.
"""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.feedback.models import Report, one_month_after
from partnerships.models import Office

REPORT_URL = "/en/accessibility/feedback/"
THANKS_URL = "/en/accessibility/feedback/thanks/"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)><b>bold</b>'


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the SMTP server received: one email.message.EmailMessage per mail."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield inbox
    controller.stop()


@pytest.fixture
def mail_server_down(settings):
    """Django's SMTP backend pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 2


@pytest.fixture(autouse=True)
def feedback_settings(settings):
    settings.FEEDBACK_RECIPIENTS = ["barrieren@example.org"]
    settings.FEEDBACK_RATE_LIMIT = 5
    settings.FEEDBACK_MAX_MESSAGE_CHARS = 5000
    settings.FEEDBACK_RETENTION_DAYS = 180


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def browser(db):
    """A client that checks CSRF tokens, as a real browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


def send_report(client, url=REPORT_URL, follow=True, **fields):
    """Open the form, then post it with its CSRF token, as a browser without script does."""
    client.get(url)
    data = {
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        "page": "",
        "message": "The map cannot be used with a keyboard.",
        "name": "",
        "email": "",
        "subject_line": "",
        **fields,
    }
    return client.post(url, data, follow=follow)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("redaktion", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Partnership editors"))
    return user


@pytest.fixture
def editor_client(editor):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(editor)
    return client


def make_report(received_days_ago=0, **values):
    report = Report(message=values.pop("message", "A barrier."), language="de", **values)
    report.received_at = timezone.now() - datetime.timedelta(days=received_days_ago)
    report.save()
    return report


# --- The form, without JavaScript ---


@pytest.mark.parametrize("language", ["de", "en", "he"])
def test_the_form_works_without_script_in_every_language(client, db, language):
    response = client.get(f"/{language}/accessibility/feedback/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert '<form class="feedback-form" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "<script" not in html
    for name in ("page", "message", "name", "email"):
        assert f'name="{name}"' in html
    assert 'hreflang="he"' in html


def test_a_report_is_stored_mailed_over_smtp_and_confirmed(
    browser, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_report(
            browser,
            page="http://testserver/en/partners/",
            message="The directory's table\ncannot be read aloud.",
            name="Erika Mustermann",
            email="erika@example.org",
        )
    assert response.redirect_chain == [(THANKS_URL, 302)]
    assert response.status_code == 200
    assert "Thank you for your report" in response.content.decode()

    report = Report.objects.get()
    assert report.message == "The directory's table\ncannot be read aloud."
    assert (report.name, report.email, report.language) == (
        "Erika Mustermann",
        "erika@example.org",
        "en",
    )
    assert report.state == Report.State.NEW
    assert report.deadline == one_month_after(timezone.localdate(report.received_at))
    assert report.notification == Report.Notification.SENT
    assert report.notified_at is not None

    [message] = smtp_server.messages
    assert message["To"] == "barrieren@example.org"
    assert message["Reply-To"] == "erika@example.org"
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    body = message.get_content().replace("\r\n", "\n")
    assert "The directory's table\ncannot be read aloud." in body
    assert "http://testserver/en/partners/" in body
    assert f"http://testserver/admin/feedback/report/{report.pk}/change/" in body


def test_the_confirmation_is_a_cached_public_page_and_the_form_is_never_cached(client, demo):
    assert client.get(THANKS_URL)["X-Page-Cache"] == "miss"
    assert client.get(THANKS_URL)["X-Page-Cache"] == "hit"
    for _attempt in range(2):
        response = client.get(REPORT_URL)
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]
    # The page cache refuses other methods for public pages; the form's POST reaches its view.
    assert client.post(THANKS_URL).status_code == 405
    assert client.post(REPORT_URL, {}).status_code == 200


def test_a_post_without_the_csrf_token_is_refused(browser):
    response = browser.post(REPORT_URL, {"message": "Spam from elsewhere."})
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_form_asks_no_queries_and_a_report_costs_its_insert_and_its_notification(
    browser, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # The one query every public page asks: the office's own pages for the navigation.
    with django_assert_num_queries(1):
        browser.get(REPORT_URL)
    # The form's page as above, then the POST: the table's constraint checked (in a savepoint:
    # SAVEPOINT, SELECT, RELEASE), the INSERT.
    with django_assert_num_queries(1 + 4):
        send_report(browser, follow=False)
    Report.objects.all().delete()
    # And the notification: read the report, write its outcome (recipients from the settings).
    with django_assert_num_queries(1 + 6), django_capture_on_commit_callbacks(execute=True):
        send_report(browser, follow=False)


# --- Where the form is linked from, and which page it names ---


def test_every_page_links_to_the_form_naming_itself(client, demo):
    html = client.get("/de/partners/").content.decode()
    assert 'href="/de/accessibility/feedback/?page=/de/partners/"' in html
    statement = client.get("/en/accessibility/").content.decode()
    assert 'href="/en/accessibility/feedback/"' in statement


@pytest.mark.parametrize(
    ("given", "prefilled"),
    [
        ({"page": "/en/partners/"}, "http://testserver/en/partners/"),
        ({"page": "http://testserver/de/?x=1"}, "http://testserver/de/?x=1"),
        ({"referer": "http://testserver/en/imprint/"}, "http://testserver/en/imprint/"),
        ({"page": "https://evil.example/en/"}, ""),
        ({"page": "//evil.example/en/"}, ""),
        ({"page": "javascript:alert(1)"}, ""),
        ({"page": "/admin/"}, ""),
        ({"page": "/en/no-such-page/"}, ""),
        ({"page": REPORT_URL}, ""),
        ({"referer": "https://evil.example/en/partners/"}, ""),
    ],
)
def test_the_page_is_prefilled_only_with_an_address_of_this_site(client, db, given, prefilled):
    query = {"page": given["page"]} if "page" in given else {}
    headers = {"HTTP_REFERER": given["referer"]} if "referer" in given else {}
    response = client.get(REPORT_URL, query, **headers)
    assert response.context["form"]["page"].value() == prefilled


# --- Spam ---


def test_a_filled_honeypot_is_answered_as_received_but_neither_stored_nor_mailed(
    browser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = send_report(browser, subject_line="http://spam.example/")
    assert response.redirect_chain == [(THANKS_URL, 302)]
    assert not Report.objects.exists()
    assert not callbacks and not mail.outbox


def test_the_honeypot_is_out_of_sight_and_of_the_keyboard(client, db):
    html = client.get(REPORT_URL).content.decode()
    label = '<label for="id_subject_line">Leave this field empty</label>'
    assert f'<div class="feedback-trap">{label}' in html
    assert 'tabindex="-1"' in html


def test_one_address_may_send_only_so_many_reports(browser, settings):
    settings.FEEDBACK_RATE_LIMIT = 2
    for _attempt in range(2):
        assert send_report(browser).redirect_chain == [(THANKS_URL, 302)]
    refused = send_report(browser, message="The third one.")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "You have sent several reports in a short time." in html
    assert "The third one." in html  # nothing typed is lost
    assert Report.objects.count() == 2
    # Another address is counted on its own.
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="192.0.2.7")
    assert send_report(other).redirect_chain == [(THANKS_URL, 302)]
    assert Report.objects.count() == 3


def test_behind_the_proxy_the_rate_limit_counts_the_address_nginx_gives(browser, settings):
    """As django-axes does with DJANGO_BEHIND_PROXY (config/settings.py): X-Real-IP."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
    settings.FEEDBACK_RATE_LIMIT = 1
    first = Client(enforce_csrf_checks=True, HTTP_X_REAL_IP="198.51.100.1")
    second = Client(enforce_csrf_checks=True, HTTP_X_REAL_IP="198.51.100.2")
    assert send_report(first).redirect_chain == [(THANKS_URL, 302)]
    assert send_report(second).redirect_chain == [(THANKS_URL, 302)]
    assert send_report(first).status_code == 429


def test_the_rate_limit_counts_the_honeypot_too_and_can_be_switched_off(browser, settings):
    settings.FEEDBACK_RATE_LIMIT = 1
    send_report(browser, subject_line="spam")
    assert send_report(browser).status_code == 429
    settings.FEEDBACK_RATE_LIMIT = 0
    assert send_report(browser).redirect_chain == [(THANKS_URL, 302)]


def test_a_failing_cache_lets_reports_through(browser, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    assert send_report(browser).redirect_chain == [(THANKS_URL, 302)]
    assert Report.objects.count() == 1


# --- Bad input: a clear message, never a 500, nothing stored ---


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"message": ""}, "message", "Please describe the barrier."),
        ({"message": "   \n  "}, "message", "Please describe the barrier."),
        (
            {"message": "x" * 5001},
            "message",
            "Please shorten the description to at most 5000 characters (it has 5001).",
        ),
        ({"email": "erika@"}, "email", "This is not an e-mail address we can answer to."),
        ({"email": "a@b.example\nBcc: x@y.example"}, "email", "This is not an e-mail address"),
        ({"message": "null \x00 byte"}, "message", "Null characters are not allowed."),
        ({"name": "n" * 201}, "name", "Ensure this value has at most 200 characters"),
        ({"page": "p" * 501}, "page", "Ensure this value has at most 500 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(browser, fields, field, error):
    response = send_report(browser, **fields)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your report has not been sent yet." in html
    assert error in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    assert 'aria-invalid="true"' in html
    assert response.context["title"].startswith("Error:")
    assert not Report.objects.exists()


def test_a_body_too_large_to_read_is_a_400_not_a_500(browser, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = send_report(browser, message="x" * 20_000, follow=False)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_hostile_html_is_text_in_the_admin_and_in_the_email(
    browser, editor_client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_report(browser, message=HOSTILE, name=HOSTILE[:200], page=HOSTILE)
    report = Report.objects.get()
    assert report.message == HOSTILE  # stored as typed

    for url in (
        reverse("admin:feedback_report_changelist"),
        reverse("admin:feedback_report_change", args=[report.pk]),
    ):
        html = editor_client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert "&lt;script&gt;alert(" in html

    [message] = smtp_server.messages
    assert message.get_content_type() == "text/plain" and not message.is_multipart()
    assert HOSTILE in message.get_content()  # the characters typed, which plain text never renders


# --- The mail server down: nothing lost, the admin shows it and sends again ---


def test_with_the_mail_server_down_the_report_is_kept_and_can_be_sent_again(
    browser, editor_client, mail_server_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send_report(browser, message="Kept although the mail failed.")
    assert response.redirect_chain == [(THANKS_URL, 302)]  # the reader is not bothered with it
    report = Report.objects.get()
    assert report.message == "Kept although the mail failed."
    assert report.notification == Report.Notification.FAILED
    assert "ConnectionRefusedError" in report.notification_error

    changelist = reverse("admin:feedback_report_changelist")
    failed = editor_client.get(changelist, {"notification__exact": "failed"})
    assert list(failed.context["cl"].result_list) == [report]
    assert (
        "ConnectionRefusedError"
        in editor_client.get(
            reverse("admin:feedback_report_change", args=[report.pk])
        ).content.decode()
    )

    # The mail server is back: the admin sends the notification again.
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    controller.start()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(
                changelist,
                {"action": "send_notification_again", "_selected_action": [report.pk]},
                follow=True,
            )
    finally:
        controller.stop()
    assert "is being sent again" in response.content.decode()
    report.refresh_from_db()
    assert report.notification == Report.Notification.SENT and report.notification_error == ""
    [message] = inbox.messages
    assert "Kept although the mail failed." in message.get_content()


def test_without_a_recipient_the_notification_fails_visibly(
    browser, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_RECIPIENTS = []
    with django_capture_on_commit_callbacks(execute=True):
        send_report(browser)
    report = Report.objects.get()
    assert report.notification == Report.Notification.FAILED
    assert "FEEDBACK_RECIPIENTS" in report.notification_error


def test_without_recipients_in_the_settings_the_office_is_told(
    browser, settings, django_capture_on_commit_callbacks
):
    settings.FEEDBACK_RECIPIENTS = []
    Office.objects.create(
        name="Büro",
        street="Marktplatz 1",
        postal_code="40213",
        city="Düsseldorf",
        email="international@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_report(browser)
    assert Report.objects.get().notification == Report.Notification.SENT
    [message] = mail.outbox
    assert message.to == ["international@example.org"]


def test_a_queue_that_fails_leaves_the_report_not_sent_yet(
    browser, monkeypatch, django_capture_on_commit_callbacks
):
    from partnerships.feedback import views

    class BrokenQueue:
        def enqueue(self, *args):
            raise RuntimeError("the queue is down")

    monkeypatch.setattr(views, "notify_office", BrokenQueue())
    with django_capture_on_commit_callbacks(execute=True):
        response = send_report(browser)
    assert response.redirect_chain == [(THANKS_URL, 302)]
    assert Report.objects.get().notification == Report.Notification.PENDING


# --- The admin: state, reply date, deadline ---


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (datetime.date(2026, 3, 15), datetime.date(2026, 4, 15)),
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 31), datetime.date(2027, 1, 31)),
        (datetime.date(2026, 5, 31), datetime.date(2026, 6, 30)),
    ],
)
def test_the_deadline_is_one_month_after_receipt(received, deadline):
    assert one_month_after(received) == deadline


def test_overdue_reports_are_marked_and_filterable(editor_client):
    overdue = make_report(received_days_ago=40)
    make_report(received_days_ago=40, state=Report.State.ANSWERED)
    due_soon = make_report(received_days_ago=27, state=Report.State.IN_PROGRESS)
    fresh = make_report()
    url = reverse("admin:feedback_report_changelist")

    assert list(Report.objects.overdue()) == [overdue]
    response = editor_client.get(url, {"deadline": "overdue"})
    assert list(response.context["cl"].result_list) == [overdue]
    assert response.content.decode().count('class="feedback-overdue"') == 1
    response = editor_client.get(url, {"deadline": "week"})
    assert list(response.context["cl"].result_list) == [due_soon]
    response = editor_client.get(url, {"deadline": "open"})
    assert list(response.context["cl"].result_list) == [fresh, due_soon]


def test_a_report_marked_answered_gets_its_reply_date(editor_client):
    report = make_report()
    url = reverse("admin:feedback_report_change", args=[report.pk])
    response = editor_client.post(url, {"state": "answered", "answered_on": "", "note": "Fixed."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == Report.State.ANSWERED
    assert report.answered_on == timezone.localdate()


def test_editors_see_and_handle_reports_but_neither_add_nor_delete_them(editor, editor_client):
    assert editor.has_perm("feedback.view_report") and editor.has_perm("feedback.change_report")
    assert not editor.has_perm("feedback.delete_report")
    report = make_report(message="Editable only in state and reply.")
    assert editor_client.get(reverse("admin:feedback_report_changelist")).status_code == 200
    assert editor_client.get(reverse("admin:feedback_report_add")).status_code == 403
    change = editor_client.get(reverse("admin:feedback_report_change", args=[report.pk]))
    assert change.status_code == 200
    assert 'name="message"' not in change.content.decode()  # what the reader wrote stays


def test_the_list_of_reports_costs_the_same_for_3_or_30(editor_client, django_assert_num_queries):
    url = reverse("admin:feedback_report_changelist")
    counts = []
    for number in (3, 30):
        Report.objects.all().delete()
        for index in range(number):
            make_report(received_days_ago=index)
        editor_client.get(url)  # the session and the user are read once warmed
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        editor_client.get(url, {"deadline": "overdue"})


# --- Retention ---


def test_old_reports_are_deleted_after_the_retention_period(db, settings):
    settings.FEEDBACK_RETENTION_DAYS = 30
    old = make_report(received_days_ago=31)
    kept = make_report(received_days_ago=29)
    call_command("delete_old_feedback", "--dry-run", verbosity=0)
    assert Report.objects.filter(pk=old.pk).exists()
    call_command("delete_old_feedback", verbosity=0)
    assert list(Report.objects.all()) == [kept]


def test_the_retention_command_says_what_it_deleted(db, settings, capsys):
    from django.utils import translation

    make_report(received_days_ago=200)
    with translation.override("en"):
        call_command("delete_old_feedback")
    assert "Deleted 1 report older than 180 days." in capsys.readouterr().out


# --- The sitemap ---


def test_the_form_is_in_the_sitemap_in_every_language(client, demo):
    xml = client.get("/sitemap-pages.xml").content.decode()
    for language in ("de", "en", "he"):
        assert f"http://testserver/{language}/accessibility/feedback/</loc>" in xml
