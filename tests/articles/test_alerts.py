"""Alerts: one open alert per key, e-mailed once to the desk's editors, shown on the admin
home page to the people of that desk (and newsroom-wide ones to everyone), resolved in the
admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from articles.alerts import raise_alert, recipients, resolve_alerts
from articles.models import Alert
from tests.factories import ContributorFactory, DeskFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    return DeskFactory(name="Bergen bureau", slug="bergen"), DeskFactory(name="Oslo", slug="oslo")


def person(username: str, role: str | None, desk=None, **fields):
    user = UserFactory(username=username, email=f"{username}@example.org", role=role, **fields)
    if desk is not None:
        ContributorFactory(user=user, desk=desk, name=username)
    return user


def test_an_alert_goes_once_to_the_editors_of_its_desk(
    desks, mailoutbox, django_capture_on_commit_callbacks
):
    bergen, oslo = desks
    person("bergen-editor", "Editor", bergen)
    person("bergen-reporter", "Reporter", bergen)
    person("oslo-editor", "Editor", oslo)
    person("chief", None, is_superuser=True)
    person("gone", "Editor", bergen, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(
            kind=Alert.Kind.AGENCY_KILL,
            key="agency-kill:story-1",
            title="Agency killed: Harbour closes",
            message="The agency withdrew the story.",
            desk=bergen,
            url="/admin/articles/article/1/change/",
        )
    assert [sorted(mail.to) for mail in mailoutbox] == [
        ["bergen-editor@example.org", "chief@example.org"]
    ]
    assert mailoutbox[0].subject == "[Agency kill] Agency killed: Harbour closes"
    assert mailoutbox[0].body.endswith("/admin/articles/article/1/change/")

    # Raised again while open: the same alert, no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        again = raise_alert(
            kind=Alert.Kind.AGENCY_KILL, key="agency-kill:story-1", title="x", desk=bergen
        )
    assert again.pk == alert.pk and len(mailoutbox) == 1
    # Resolved, then raised: a new alert and a new e-mail.
    assert resolve_alerts(key="agency-kill:story-1") == 1
    with django_capture_on_commit_callbacks(execute=True):
        new = raise_alert(
            kind=Alert.Kind.AGENCY_KILL, key="agency-kill:story-1", title="y", desk=bergen
        )
    assert new.pk != alert.pk and len(mailoutbox) == 2


def test_a_newsroom_wide_alert_goes_to_every_editor(desks):
    bergen, oslo = desks
    person("bergen-editor", "Editor", bergen)
    person("oslo-editor", "Editor", oslo)
    person("unplaced-editor", "Editor")
    person("standards", "Standards", bergen)
    assert recipients(None) == [
        "bergen-editor@example.org",
        "oslo-editor@example.org",
        "unplaced-editor@example.org",
    ]


def test_an_alert_rolled_back_with_its_cause_sends_nothing(desks, mailoutbox):
    from django.db import transaction

    bergen, _ = desks
    person("bergen-editor", "Editor", bergen)
    with pytest.raises(RuntimeError), transaction.atomic():
        raise_alert(kind=Alert.Kind.CHANNEL_FAILING, key="channel:1", title="x", desk=bergen)
        raise RuntimeError("the caller failed")
    assert not Alert.objects.exists() and mailoutbox == []


def test_the_admin_home_shows_each_user_their_desks_alerts(client, desks):
    bergen, oslo = desks
    person("bergen-editor", "Editor", bergen)
    person("oslo-editor", "Editor", oslo)
    person("bergen-reporter", "Reporter", bergen)
    raise_alert(
        kind=Alert.Kind.AGENCY_KILL,
        key="k1",
        title="Agency killed: <Harbour> closes",
        desk=bergen,
        url="/admin/articles/article/7/change/",
    )
    raise_alert(kind=Alert.Kind.ENDPOINT_DISABLED, key="k2", title="Partner endpoint off")
    resolved = raise_alert(kind=Alert.Kind.CHANNEL_FAILING, key="k3", title="Old failure")
    resolve_alerts(key=resolved.key)

    def home(username: str) -> str:
        client.force_login(get_user_model().objects.get(username=username))
        return client.get("/admin/").content.decode()

    page = home("bergen-editor")
    assert 'id="alerts"' in page
    assert (
        '<a href="/admin/articles/article/7/change/">Agency killed: &lt;Harbour&gt; closes</a>'
        in page
    )
    assert "Partner endpoint off" in page and "Old failure" not in page
    page = home("oslo-editor")
    assert "Harbour" not in page and "Partner endpoint off" in page
    # A reporter has no permission to view alerts and sees none.
    assert 'id="alerts"' not in home("bergen-reporter")


def test_an_editor_resolves_alerts_in_the_admin(client, desks):
    bergen, _ = desks
    editor = person("bergen-editor", "Editor", bergen)
    alert = raise_alert(kind=Alert.Kind.AGENCY_KILL, key="k1", title="Agency kill", desk=bergen)
    client.force_login(editor)
    answer = client.post(
        "/admin/articles/alert/",
        {"action": "resolve", "_selected_action": [alert.pk]},
        follow=True,
    )
    assert "1 alert(s) resolved." in answer.content.decode()
    alert.refresh_from_db()
    assert alert.resolved_at is not None and alert.resolved_by == editor
    # Nobody adds or deletes alerts by hand.
    assert client.get("/admin/articles/alert/add/").status_code == 403
    assert client.get(f"/admin/articles/alert/{alert.pk}/delete/").status_code == 403
