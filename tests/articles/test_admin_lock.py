"""Two editors on one story: the later save from an older form is refused, nothing is lost."""

from __future__ import annotations

import pytest

from articles import workflow
from articles.models import Article
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


def test_saving_again_from_the_refused_form_needs_the_current_lock(draft, editor, second_editor):
    first, second = client_for(editor), client_for(second_editor)
    stale = form_data(second.get(change_url(draft)))
    fresh = form_data(first.get(change_url(draft)))
    fresh["headline"] = "First headline"
    first.post(change_url(draft), fresh)

    stale["headline"] = "Second headline"
    refused = second.post(change_url(draft), stale)
    # The re-rendered form still carries the lock it was opened at, so a blind resubmit
    # is refused too; reloading the story picks up the new lock.
    assert refused.context["adminform"].form["lock_version"].value() == "0"
    assert second.post(change_url(draft), stale).status_code == 200

    reloaded = form_data(second.get(change_url(draft)))
    reloaded["headline"] = "Second headline"
    assert second.post(change_url(draft), reloaded).status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Second headline"
    assert draft.lock_version == 2


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
