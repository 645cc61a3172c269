"""An editor enrols an authenticator app and logs in with a code, in Chromium, with MFA
required as in production. The codes are computed here from the key the page shows, as the
editor's phone would."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "correct horse battery"

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def key_bytes(key: str) -> bytes:
    """The secret of a base32 key as the page shows it (groups of four, no padding)."""
    secret = key.replace(" ", "")
    return b32decode(secret + "=" * (-len(secret) % 8))


def code_from(key: str, *, steps_ahead: int = 0) -> str:
    """The 6-digit code an app set up with `key` shows now (or `steps_ahead` steps later)."""
    return f"{totp(key_bytes(key), drift=steps_ahead):06d}"


def log_in_with_password(page, base: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/articles/article/")
    page.fill("#id_username", "eddie")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_editor_enrols_and_logs_in_with_a_code(live_server, browser, screenshot_dir, settings):
    settings.MFA_REQUIRED = True
    editor = UserFactory(username="eddie", role="Editor")
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    # First login: the password, then straight to enrolment, nowhere else.
    log_in_with_password(page, base)
    page.wait_for_url("**/admin/mfa/setup/**")
    page.wait_for_load_state("load")
    assert page.locator("#mfa-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    key = page.inner_text("#mfa-key")
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    assert key_bytes(key) == device.bin_key
    page.screenshot(path=str(screenshot_dir / "mfa-01-enrol.png"), full_page=True)
    page.goto(f"{base}/admin/articles/article/")
    assert "/admin/mfa/setup/" in page.url

    page.fill("#id_code", code_from(key))
    page.click("input[type=submit][value=Confirm]")
    page.wait_for_selector("#mfa-recovery-codes")
    shown = page.locator("#mfa-recovery-codes code").all_inner_texts()
    stored = StaticToken.objects.filter(device__user=editor).values_list("token", flat=True)
    assert sorted(shown) == sorted(stored) and len(shown) == 10
    page.screenshot(path=str(screenshot_dir / "mfa-02-recovery-codes.png"), full_page=True)
    page.click("#mfa-continue")
    page.wait_for_selector("#changelist")
    assert page.url.endswith("/admin/articles/article/")

    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")

    # Next login: the password, then a code from the app.
    log_in_with_password(page, base)
    page.wait_for_url("**/admin/mfa/verify/**")
    page.screenshot(path=str(screenshot_dir / "mfa-03-code-asked.png"), full_page=True)
    page.fill("#id_code", "000000" if code_from(key, steps_ahead=1) != "000000" else "111111")
    page.click("input[type=submit][value=Verify]")
    page.wait_for_selector(".errorlist")
    assert "/admin/mfa/verify/" in page.url

    # The wrong code made django-otp wait a second before it takes another.
    page.wait_for_timeout(2100)
    page.fill("#id_code", code_from(key, steps_ahead=1))
    page.click("input[type=submit][value=Verify]")
    page.wait_for_selector("#changelist")
    assert page.url.endswith("/admin/articles/article/")
    page.screenshot(path=str(screenshot_dir / "mfa-04-logged-in.png"), full_page=True)
    context.close()

    assert blocked == []
    actions = list(
        AuditEntry.objects.filter(subject=f"user:{editor.pk}")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["login", "mfa-enrol", "logout", "login", "mfa-failed", "mfa-verified"]


def test_editor_adds_a_security_key_and_logs_in_with_it(
    live_server, browser, screenshot_dir, settings
):
    from mfa import services

    settings.MFA_REQUIRED = True
    base = live_server.url
    assert base.startswith("http://localhost:")  # WebAuthn needs HTTPS or localhost
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [base]
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    editor = UserFactory(username="eddie", role="Editor")
    device = services.pending_authenticator(editor)
    key = services.readable_key(device)
    assert services.confirm_authenticator(device, code_from(key)) is not None

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # A virtual authenticator stands in for the editor's security key.
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    log_in_with_password(page, base)
    page.wait_for_url("**/admin/mfa/verify/**")
    page.fill("#id_code", code_from(key, steps_ahead=1))
    page.click("input[type=submit][value=Verify]")
    page.wait_for_selector("#changelist")

    page.goto(f"{base}/admin/mfa/")
    page.click("#passkey-register-button")
    page.wait_for_selector("#passkey-register-status-message:not(:empty)")
    assert len(services.security_keys(editor)) == 1
    page.reload()
    page.wait_for_selector("#mfa-security-keys li")
    page.screenshot(path=str(screenshot_dir / "mfa-05-security-key-added.png"), full_page=True)

    page.click("#logout-form button")
    page.wait_for_url("**/admin/logout/")
    log_in_with_password(page, base)
    page.wait_for_url("**/admin/mfa/verify/**")
    page.wait_for_selector("#passkey-verification-button")
    page.screenshot(path=str(screenshot_dir / "mfa-06-security-key-asked.png"), full_page=True)
    page.click("#passkey-verification-button")
    page.wait_for_selector("#changelist")
    assert page.url.endswith("/admin/articles/article/")
    context.close()

    assert blocked == []
    actions = list(
        AuditEntry.objects.filter(subject=f"user:{editor.pk}")
        .order_by("at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "mfa-enrol",
        "login",
        "mfa-verified",
        "mfa-enrol",
        "logout",
        "login",
        "mfa-verified",
    ]
    # The newest verification (the audit trail lists newest first) was the key's.
    newest = AuditEntry.objects.filter(action="mfa-verified").first()
    assert newest.note == "security key from 127.0.0.1"
