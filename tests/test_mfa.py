"""Multi-factor authentication in the admin: required of publishing, killing and Standards
accounts when MFA_REQUIRED is on (production), offered but not required embedded; recovery
codes; an administrator's reset, audited, ending the user's sessions. Every step is a real
request through the test client, with codes computed from the device's key as an app would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import django_otp
import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import AuditEntry
from mfa import services
from tests.test_settings import SETUP, clean_env, production, run

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    value = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead
    )
    return f"{value:0{device.digits}d}"


def log_in(client: Client, username: str) -> None:
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/", response


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = services.pending_authenticator(user)
    codes = services.confirm_authenticator(device, code_for(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def test_required_means_a_publishing_editor_must_enrol_then_give_a_code(client, editor, settings):
    settings.MFA_REQUIRED = True
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, "eddie")

        # Logged in by password, but every admin page sends the editor to enrolment.
        for path in ("/admin/", "/admin/articles/article/", "/admin/mfa/"):
            response = client.get(path)
            assert response.status_code == 302
            assert response["Location"].startswith("/admin/mfa/setup/?next=")

        page = client.get("/admin/mfa/setup/?next=/admin/articles/article/")
        assert page.status_code == 200
        device = TOTPDevice.objects.get(user=editor, confirmed=False)
        assert services.readable_key(device) in page.content.decode()

        wrong = client.post("/admin/mfa/setup/", {"code": "000000", "next": "/admin/"})
        assert wrong.status_code == 200 and "not right" in wrong.content.decode()
        assert client.get("/admin/").status_code == 302

        clock.shift(timedelta(seconds=30))  # past django-otp's delay after a failure
        done = client.post("/admin/mfa/setup/", {"code": code_for(device), "next": "/admin/"})
        assert done.status_code == 200
        codes = StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
        assert len(codes) == services.RECOVERY_CODE_COUNT
        html = done.content.decode()
        assert all(code in html for code in codes)
        assert client.get("/admin/articles/article/").status_code == 200

        # A later login needs the password and then a code.
        browser = Client()
        log_in(browser, "eddie")
        response = browser.get("/admin/articles/article/")
        assert response.status_code == 302
        assert response["Location"] == "/admin/mfa/verify/?next=%2Fadmin%2Farticles%2Farticle%2F"
        assert browser.get("/admin/mfa/setup/").status_code == 302  # no second device unverified

        clock.shift(timedelta(seconds=30))
        verified = browser.post(
            "/admin/mfa/verify/", {"code": code_for(device), "next": "/admin/articles/article/"}
        )
        assert verified.status_code == 302
        assert verified["Location"] == "/admin/articles/article/"
        assert browser.get("/admin/articles/article/").status_code == 200

    actions = list(
        AuditEntry.objects.filter(subject=f"user:{editor.pk}")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["login", "mfa-enrol", "login", "mfa-verified"]


@pytest.mark.parametrize("role", ["Editor", "Standards"])
def test_required_for_editors_and_standards_not_reporters(settings, role):
    from mfa.policy import mfa_required_for
    from tests.factories import UserFactory

    settings.MFA_REQUIRED = True
    user = UserFactory(username=f"{role.lower()}1", role=role)
    reporter = UserFactory(username="rita", role="Reporter")

    assert mfa_required_for(user)
    assert not mfa_required_for(reporter)
    browser = Client()
    log_in(browser, "rita")
    assert browser.get("/admin/").status_code == 200


def test_superuser_must_enrol_when_required(settings, admin_user):
    settings.MFA_REQUIRED = True
    browser = Client()
    browser.force_login(admin_user)
    assert browser.get("/admin/")["Location"].startswith("/admin/mfa/setup/")


def test_embedded_default_offers_mfa_without_requiring_it(client, editor, settings):
    assert settings.MFA_REQUIRED is False  # the embedded default, as `make run` has it
    log_in(client, "eddie")
    first = client.get("/admin/articles/article/")
    assert first.status_code == 200
    # The first admin page after login offers enrolment, and the MFA page has the link.
    assert [str(m) for m in first.context["messages"]] == [
        'Protect your account with a second factor: <a href="/admin/mfa/setup/">'
        "set up an authenticator app</a>."
    ]
    overview = client.get("/admin/mfa/")
    assert overview.status_code == 200
    assert 'href="/admin/mfa/setup/"' in overview.content.decode()

    # Once enrolled, the code is asked for embedded too.
    enrol(editor)
    browser = Client()
    log_in(browser, "eddie")
    assert browser.get("/admin/")["Location"].startswith("/admin/mfa/verify/")


def test_recovery_code_logs_in_once(editor):
    with time_machine.travel(START, tick=False):
        _, codes = enrol(editor)
        browser = Client()
        log_in(browser, "eddie")

        response = browser.post("/admin/mfa/verify/", {"code": codes[0].upper(), "next": "/admin/"})

        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert browser.get("/admin/").status_code == 200
        assert services.recovery_codes_left(editor) == services.RECOVERY_CODE_COUNT - 1
        entry = AuditEntry.objects.filter(action="mfa-verified").get()
        assert entry.note.startswith("recovery code from ")

        # The same code does not work a second time.
        again = Client()
        log_in(again, "eddie")
        refused = again.post("/admin/mfa/verify/", {"code": codes[0], "next": "/admin/"})
        assert refused.status_code == 200
        assert again.get("/admin/").status_code == 302


def test_new_recovery_codes_replace_the_old(client, editor):
    with time_machine.travel(START, tick=False):
        device, old = enrol(editor)
        log_in(client, "eddie")
        client.post("/admin/mfa/verify/", {"code": code_for(device, steps_ahead=1)})

        response = client.post("/admin/mfa/recovery-codes/")

        assert response.status_code == 200
        new = set(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
        assert len(new) == services.RECOVERY_CODE_COUNT and not new & set(old)
        assert AuditEntry.objects.filter(action="mfa-recovery-codes", actor=editor).exists()


def test_wrong_codes_lock_the_user_out_like_wrong_passwords(editor, settings):
    with time_machine.travel(START, tick=False):
        device, _ = enrol(editor)
        browser = Client(REMOTE_ADDR="198.51.100.7")
        log_in(browser, "eddie")
        statuses = [
            browser.post("/admin/mfa/verify/", {"code": "123456"}).status_code
            for _ in range(settings.AXES_FAILURE_LIMIT)
        ]
        assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
        # The session is over, and the right code and password get nowhere now.
        assert browser.get("/admin/")["Location"].startswith("/admin/login/")
        retry = Client(REMOTE_ADDR="192.0.2.8").post(
            "/admin/login/?next=/admin/", {"username": "eddie", "password": PASSWORD}
        )
        assert retry.status_code == 429

    failures = AuditEntry.objects.filter(action="mfa-failed", actor=editor)
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert failures.first().note == "from 198.51.100.7"
    assert AuditEntry.objects.filter(action="lockout", subject="username:eddie").exists()


def test_admin_reset_is_audited_and_ends_the_users_sessions(editor, admin_user):
    with time_machine.travel(START, tick=False):
        device, _ = enrol(editor)
        phone, desk = Client(), Client()
        for n, browser in enumerate((phone, desk)):
            log_in(browser, "eddie")
            code = code_for(device, steps_ahead=n + 1)
            assert browser.post("/admin/mfa/verify/", {"code": code}).status_code == 302
            assert browser.get("/admin/").status_code == 200
        administrator = Client()
        administrator.force_login(admin_user)
        administrator_session = administrator.session.session_key

        response = administrator.post(
            "/admin/auth/user/",
            {"action": "reset_mfa", "_selected_action": [editor.pk]},
            follow=True,
        )

        assert response.status_code == 200
        assert "2 session(s) ended" in response.content.decode()
        for browser in (phone, desk):
            assert browser.get("/admin/")["Location"].startswith("/admin/login/")
        # The administrator's own session is untouched.
        assert administrator.session.session_key == administrator_session
        assert administrator.get("/admin/").status_code == 200

    assert not django_otp.user_has_device(editor, confirmed=None)  # app, keys, codes
    assert not StaticToken.objects.filter(device__user=editor).exists()
    entry = AuditEntry.objects.get(action="mfa-reset")
    assert (entry.actor, entry.subject) == (admin_user, f"user:{editor.pk}")
    assert "2 session(s) ended" in entry.note


def test_reset_needs_the_permission_to_change_users(client, editor, reporter):
    enrol(reporter)
    client.force_login(editor)
    response = client.post(
        "/admin/auth/user/", {"action": "reset_mfa", "_selected_action": [reporter.pk]}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=reporter, confirmed=True).exists()


def test_security_key_is_added_only_beside_the_authenticator_app(client, editor):
    log_in(client, "eddie")
    begin = "/admin/mfa/webauthn/registration/begin/"

    refused = client.post(begin, "{}", content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "authenticator_app_first"

    device, _ = enrol(editor)
    # Enrolled but not yet verified in this session: the code page first.
    assert client.post(begin, "{}", content_type="application/json").status_code == 302
    client.post("/admin/mfa/verify/", {"code": code_for(device, steps_ahead=1)})
    options = client.post(begin, "{}", content_type="application/json")
    assert options.status_code == 200
    assert options.json()["rp"]["id"] == "localhost"


def test_security_key_cannot_log_in_without_the_password(client, editor):
    response = client.post(
        "/admin/mfa/webauthn/authentication/begin/", "{}", content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_device_keys_are_not_in_the_admin(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = self.inline_styles = 0
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        # A JSON data block (the security key script's settings) is never executed.
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline_scripts += 1
        if tag == "style" or "style" in attrs:
            self.inline_styles += 1
        if tag == "img":
            self.images.append(attrs["src"])


def test_mfa_pages_carry_the_admin_policy_and_nothing_inline(client, editor, settings):
    settings.MFA_REQUIRED = True
    log_in(client, "eddie")
    setup = client.get("/admin/mfa/setup/")
    device = TOTPDevice.objects.get(user=editor)
    codes = client.post("/admin/mfa/setup/", {"code": code_for(device)})
    overview = client.get("/admin/mfa/")
    enrolled = Client()
    log_in(enrolled, "eddie")
    verify = enrolled.get("/admin/mfa/verify/")

    for response in (setup, codes, overview, verify):
        assert response.status_code == 200
        header = response["Content-Security-Policy"]
        assert "script-src 'self'" in header and "frame-ancestors 'none'" in header
        assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
        page = _Page()
        page.feed(response.content.decode())
        assert page.inline_scripts == 0 and page.inline_styles == 0
    page = _Page()
    page.feed(setup.content.decode())
    assert page.images == ["/admin/mfa/setup/qr.svg"]


def test_enrolment_qr_code_is_an_image_from_this_site(client, editor):
    log_in(client, "eddie")
    client.get("/admin/mfa/setup/")

    response = client.get("/admin/mfa/setup/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "no-store" in response["Cache-Control"]
    assert b"<svg" in response.content and b"<script" not in response.content
    # Once enrolled there is no key left to show.
    enrol_device = TOTPDevice.objects.get(user=editor)
    services.confirm_authenticator(enrol_device, code_for(enrol_device))
    client.post("/admin/mfa/verify/", {"code": code_for(enrol_device, steps_ahead=1)})
    assert client.get("/admin/mfa/setup/qr.svg").status_code == 404


def test_security_key_origin_follows_the_site_address(tmp_path):
    code = SETUP + (
        "; from django.conf import settings as s; "
        "print(s.OTP_WEBAUTHN_RP_ID, ','.join(s.OTP_WEBAUTHN_ALLOWED_ORIGINS))"
    )
    for env, expected in (
        (clean_env(tmp_path), ["localhost", "http://localhost:8000"]),
        (
            production(tmp_path, SITE_URL="https://news.example.org"),
            ["news.example.org", "https://news.example.org"],
        ),
        (
            production(tmp_path, WEBAUTHN_ORIGINS="https://desk.example.org"),
            ["desk.example.org", "https://desk.example.org"],
        ),
    ):
        result = run(["-c", code], env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == expected


def test_required_by_default_in_production_and_off_embedded(tmp_path):
    code = SETUP + "; from django.conf import settings as s; print(s.MFA_REQUIRED)"
    embedded = run(["-c", code], clean_env(tmp_path))
    assert embedded.returncode == 0, embedded.stderr
    assert embedded.stdout.split() == ["False"]

    for env, expected in (
        (production(tmp_path), "True"),
        (production(tmp_path, MFA_REQUIRED="0"), "False"),
        (clean_env(tmp_path, MFA_REQUIRED="1"), "True"),
    ):
        result = run(["-c", code], env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [expected]
