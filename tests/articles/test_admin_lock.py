"""Two editors on one story: the later save from an older form is refused, nothing is lost."""

from __future__ import annotations

import pytest

from articles import workflow
from articles.models import Article, AuditEntry
from tests.articles.test_admin_support import change_url, client_for, form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(db):
    return UserFactory(username="ines", role="Editor")


def test_second_save_from_an_older_form_is_refused_and_keeps_its_text(draft, editor, second_editor):
    first, second = client_for(editor), client_for(second_editor)
    first_form = form_data(first.get(change_url(draft)))
    second_form = form_data(second.get(change_url(draft)))
    assert first_form["lock_version"] == second_form["lock_version"] == 0

    first_form["body"] = "<p>Eddie's version of the lede.</p>"
    assert first.post(change_url(draft), first_form).status_code == 302

    second_form["body"] = "<p>Ines typed this carefully.</p>"
    response = second.post(change_url(draft), second_form)

    assert response.status_code == 200  # the form again, not a redirect
    html = response.content.decode()
    assert "eddie changed this story at" in html
    assert "Ines typed this carefully." in html  # the editor's text is still in the form
    assert response.context["adminform"].form["body"].value() == second_form["body"]
    draft.refresh_from_db()
    assert draft.body == "<p>Eddie's version of the lede.</p>"
    assert draft.modified_by == editor
    assert draft.lock_version == 1


def refused_pair(draft, editor, second_editor, **theirs):
    """Eddie and Ines open the draft; Eddie saves `theirs`; Ines's save of a changed body is
    refused. Returns Ines's client and the refused response."""
    first, second = client_for(editor), client_for(second_editor)
    stale = form_data(second.get(change_url(draft)))
    fresh = form_data(first.get(change_url(draft)))
    fresh.update(theirs)
    assert first.post(change_url(draft), fresh).status_code == 302
    stale["body"] = "<p>Ines rewrote the lede.</p><p>Second paragraph.</p>"
    refused = second.post(change_url(draft), stale)
    assert refused.status_code == 200
    return second, refused


def test_refused_editor_sees_theirs_beside_theirs_field_by_field(draft, editor, second_editor):
    _, refused = refused_pair(draft, editor, second_editor, headline="Eddie's headline")

    conflict = refused.context["adminform"].form.edit_conflict
    assert conflict.names == ["headline", "body"]
    assert conflict.saved_by == "eddie"
    headline = conflict.fields[0]
    assert (headline.theirs, headline.mine) == ("Eddie's headline", draft.headline)
    html = refused.content.decode()
    panel = html[html.index('id="edit-conflict"') :]
    # Theirs and mine side by side, the differing words marked by more than colour.
    headline_rows = panel[panel.index('id="conflict-headline"') : panel.index('id="conflict-body"')]
    assert "Differs: </span><del>Eddie&#x27;s" in headline_rows
    assert "<ins>" in headline_rows
    assert "Only in theirs: </span>First paragraph." in panel
    assert "Only in yours: </span>Ines rewrote the lede." in panel
    body = conflict.fields[1]
    assert [row.kind for row in body.rows] == ["removed", "added", "removed", "equal"]
    assert 'name="conflict-headline" value="theirs"' in panel
    assert 'name="conflict-body" value="mine"' in panel
    # The form keeps what Ines typed, and now carries the lock of the copy she was shown.
    form = refused.context["adminform"].form
    assert form["body"].value() == "<p>Ines rewrote the lede.</p><p>Second paragraph.</p>"
    assert form["lock_version"].value() == "1"


def test_choosing_per_field_saves_against_the_version_seen(draft, editor, second_editor):
    second, refused = refused_pair(draft, editor, second_editor, headline="Eddie's headline")
    data = form_data(refused)
    data.update(
        {"conflict_fields": "headline,body", "conflict-headline": "theirs", "conflict-body": "mine"}
    )

    assert second.post(change_url(draft), data).status_code == 302

    draft.refresh_from_db()
    assert draft.headline == "Eddie's headline"  # theirs, though the form still held the old one
    assert draft.body == "<p>Ines rewrote the lede.</p><p>Second paragraph.</p>"
    assert draft.lock_version == 2
    assert draft.modified_by == second_editor
    edits = AuditEntry.objects.filter(article=draft, action="edit").order_by("at", "pk")
    assert [(e.actor_name, e.note) for e in edits] == [("eddie", "headline"), ("ines", "body")]


def test_an_edit_made_while_resolving_is_what_is_saved(draft, editor, second_editor):
    second, refused = refused_pair(
        draft, editor, second_editor, body="<p>Eddie's lede.</p><p>Second paragraph.</p>"
    )
    data = form_data(refused)
    data["body"] = "<p>Eddie's lede, with Ines's fix.</p><p>Second paragraph.</p>"
    data.update({"conflict_fields": "body", "conflict-body": "mine"})

    assert second.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.body == "<p>Eddie's lede, with Ines's fix.</p><p>Second paragraph.</p>"


def test_a_difference_left_without_a_choice_is_refused_and_nothing_is_lost(
    draft, editor, second_editor
):
    second, refused = refused_pair(draft, editor, second_editor, headline="Eddie's headline")
    data = form_data(refused)
    data.update({"conflict_fields": "headline,body", "conflict-body": "mine"})

    again = second.post(change_url(draft), data)

    assert again.status_code == 200
    html = again.content.decode()
    assert "Choose yours or theirs for Headline" in html
    # The choice already made is kept; the one missing is still to make.
    assert 'name="conflict-body" value="mine" checked' in html
    assert 'name="conflict-headline" value="mine" checked' not in html
    assert 'name="conflict-headline" value="theirs" checked' not in html
    form = again.context["adminform"].form
    assert form.edit_conflict.names == ["headline", "body"]
    assert form["body"].value() == data["body"]
    draft.refresh_from_db()
    assert draft.headline == "Eddie's headline"
    assert draft.body != data["body"]
    assert draft.lock_version == 1


def test_a_save_by_the_other_editor_while_resolving_shows_their_newer_copy(
    draft, editor, second_editor
):
    second, refused = refused_pair(draft, editor, second_editor, headline="Eddie's headline")
    first = client_for(editor)
    again_theirs = form_data(first.get(change_url(draft)))
    again_theirs["headline"] = "Eddie's second thoughts"
    assert first.post(change_url(draft), again_theirs).status_code == 302

    data = form_data(refused)
    data.update(
        {"conflict_fields": "headline,body", "conflict-headline": "theirs", "conflict-body": "mine"}
    )
    refused_again = second.post(change_url(draft), data)

    assert refused_again.status_code == 200
    form = refused_again.context["adminform"].form
    assert form.edit_conflict.fields[0].theirs == "Eddie's second thoughts"
    assert form["lock_version"].value() == "2"
    draft.refresh_from_db()
    assert draft.headline == "Eddie's second thoughts"


def test_a_save_that_races_past_validation_is_refused_by_save_copy(
    draft, editor, second_editor, monkeypatch
):
    """The other editor's save lands between this form's validation and its save_copy."""
    second = client_for(second_editor)
    data = form_data(second.get(change_url(draft)))
    data["body"] = "<p>Ines's late edit.</p>"
    real_save_copy = workflow.save_copy
    raced = []

    def save_copy_after_a_rival(article, **kwargs):
        if not raced:
            raced.append(True)
            rival = Article.objects.get(pk=article.pk)
            rival.body = "<p>Eddie got there first.</p>"
            real_save_copy(rival, by=editor, expected_lock_version=0, fields=["body"])
        return real_save_copy(article, **kwargs)

    monkeypatch.setattr(workflow, "save_copy", save_copy_after_a_rival)
    response = second.post(change_url(draft), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "eddie changed this story at" in html
    assert "Ines&#x27;s late edit." in html or "Ines's late edit." in html
