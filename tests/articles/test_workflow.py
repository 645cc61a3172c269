"""The wire workflow: every transition allowed and refused, by state and by role, and what
each one records (audit entry, outbox event, stored version) in its transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from articles import workflow
from articles.models import Article, ArticleVersion, AuditEntry, OutboxEvent
from articles.signals import outbox_committed
from tests.factories import ArticleFactory, UserFactory

S = Article.Status

# The design's state machine, written out here rather than read from workflow.TRANSITIONS,
# so a change to the table in the code has to be a change to this test too.
ALLOWED_FROM: dict[str, set[str]] = {
    "submit": {S.DRAFT},
    "return_to_reporter": {S.SUBMITTED, S.EDITED},
    "approve": {S.SUBMITTED},
    "publish": {S.DRAFT, S.SUBMITTED, S.EDITED},
    "correct": {S.PUBLISHED},
    "update": {S.PUBLISHED},
    "withhold": {S.PUBLISHED},
    "release": {S.WITHHELD},
    "kill": {S.PUBLISHED, S.WITHHELD},
}
RESULT: dict[str, str] = {
    "submit": S.SUBMITTED,
    "return_to_reporter": S.DRAFT,
    "approve": S.EDITED,
    "publish": S.PUBLISHED,
    "correct": S.PUBLISHED,
    "update": S.PUBLISHED,
    "withhold": S.WITHHELD,
    "release": S.PUBLISHED,
    "kill": S.KILLED,
}
OUTBOX: dict[str, str | None] = {
    "submit": None,
    "return_to_reporter": None,
    "approve": None,
    "publish": OutboxEvent.Type.PUBLISH,
    "correct": OutboxEvent.Type.CORRECT,
    "update": OutboxEvent.Type.UPDATE,
    "withhold": OutboxEvent.Type.WITHHOLD,
    "release": OutboxEvent.Type.RELEASE,
    "kill": OutboxEvent.Type.KILL,
}
VERSIONED = {"publish": "publish", "correct": "correct", "update": "update", "kill": "kill"}
ALL_STATES = [S.DRAFT, S.SUBMITTED, S.EDITED, S.PUBLISHED, S.WITHHELD, S.KILLED]


def run(name: str, article: Article, user) -> Article:
    extra = {
        "return_to_reporter": {"note": "Needs a second source."},
        "correct": {"note": "Corrects the spelling of the minister's name."},
        "update": {"note": "Adds reaction from the opposition."},
        "withhold": {"reason": "Legal is reviewing the second paragraph."},
        "kill": {"reason": "The document the story relied on is not authentic."},
    }.get(name, {})
    return getattr(workflow, name)(article, by=user, **extra)


def story_in(state: str, *, reporter, editor) -> Article:
    """A story brought to `state` the way the desk brings it there."""
    article = ArticleFactory(created_by=reporter)
    if state == S.DRAFT:
        return article
    workflow.submit(article, by=reporter)
    if state == S.SUBMITTED:
        return article
    workflow.approve(article, by=editor)
    if state == S.EDITED:
        return article
    workflow.publish(article, by=editor)
    if state == S.WITHHELD:
        workflow.withhold(article, by=editor, reason="Checking a figure.")
    elif state == S.KILLED:
        workflow.kill(article, by=editor, reason="Withdrawn for the demo of a kill.")
    return article


@pytest.fixture
def chief(db):
    return UserFactory(username="chief", is_superuser=True)


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("name", list(ALLOWED_FROM))
def test_transition_by_state(name, state, reporter, editor, chief):
    article = story_in(state, reporter=reporter, editor=editor)
    entries = AuditEntry.objects.count()
    events = OutboxEvent.objects.count()
    if state in ALLOWED_FROM[name]:
        run(name, article, chief)
        article.refresh_from_db()
        assert article.status == RESULT[name]
        assert AuditEntry.objects.count() == entries + 1
    else:
        with pytest.raises(workflow.TransitionNotAllowed, match="Cannot"):
            run(name, article, chief)
        article.refresh_from_db()
        assert article.status == state
        assert AuditEntry.objects.count() == entries
        assert OutboxEvent.objects.count() == events


# Who may make each transition, in a state that allows it.
ROLE_MAY = {
    "Reporter": {"submit"},
    "Editor": set(ALLOWED_FROM),
    "Standards": set(),
    "superuser": set(ALLOWED_FROM),
}


def user_for(role: str):
    if role == "superuser":
        return UserFactory(username="root-user", is_superuser=True)
    return UserFactory(username=f"{role.lower()}-user", role=role)


@pytest.mark.parametrize("role", list(ROLE_MAY))
@pytest.mark.parametrize("name", list(ALLOWED_FROM))
def test_transition_by_role(name, role, editor, db):
    user = user_for(role)
    # The reporter's own story, so a reporter's refusal is about the role, not ownership.
    owner = user if role == "Reporter" else UserFactory(username="writer", role="Reporter")
    state = sorted(ALLOWED_FROM[name])[0]
    article = story_in(state, reporter=owner, editor=editor)
    assert (name in workflow.allowed_transitions(user, article)) == (name in ROLE_MAY[role])
    if name in ROLE_MAY[role]:
        run(name, article, user)
        article.refresh_from_db()
        assert article.status == RESULT[name]
    else:
        with pytest.raises(workflow.NotPermitted):
            run(name, article, user)
        article.refresh_from_db()
        assert article.status == state


def test_reporter_cannot_submit_someone_elses_draft(reporter, other_reporter):
    article = ArticleFactory(created_by=other_reporter)
    assert "submit" not in workflow.allowed_transitions(reporter, article)
    with pytest.raises(workflow.NotPermitted, match="only your own"):
        workflow.submit(article, by=reporter)
    article.refresh_from_db()
    assert article.status == S.DRAFT


def test_inactive_editor_is_refused(editor, draft):
    editor.is_active = False
    editor.save()
    with pytest.raises(workflow.NotPermitted):
        workflow.publish(draft, by=editor)


def test_system_editor_may_publish(draft):
    system = workflow.system_editor()
    assert system.has_perm("articles.publish_article")
    assert not system.has_usable_password()
    assert not system.is_staff
    workflow.publish(draft, by=system)
    assert AuditEntry.objects.get(article=draft, action="publish").actor_name == "system-editor"


@pytest.mark.parametrize("name", list(ALLOWED_FROM))
def test_each_transition_records_audit_outbox_and_version(name, reporter, editor):
    state = sorted(ALLOWED_FROM[name])[0]
    article = story_in(state, reporter=reporter, editor=editor)
    before_events = set(OutboxEvent.objects.values_list("pk", flat=True))
    before_versions = article.versions.count()
    run(name, article, editor)
    article.refresh_from_db()

    entry = AuditEntry.objects.filter(article=article).first()  # newest first
    assert entry.action == name.replace("return_to_reporter", "return")
    assert entry.actor == editor
    assert entry.from_status == state
    assert entry.to_status == RESULT[name]

    new_events = OutboxEvent.objects.exclude(pk__in=before_events)
    if OUTBOX[name]:
        (event,) = new_events
        assert event.event_type == OUTBOX[name]
        assert event.article == article
        assert event.version == article.version
        assert event.payload["uri"] == article.guid
    else:
        assert not new_events.exists()

    if name in VERSIONED:
        assert article.versions.count() == before_versions + 1
        latest = article.versions.last()
        assert latest.event == VERSIONED[name]
        assert latest.number == article.version
        assert latest.ninjs["version"] == str(article.version)
    else:
        assert article.versions.count() == before_versions


def test_versions_count_up_through_correction_update_and_kill(published, editor):
    workflow.correct(published, by=editor, note="Fixes a date.")
    workflow.update(published, by=editor, note="Adds reaction.")
    workflow.kill(published, by=editor, reason="Could not be confirmed.")
    published.refresh_from_db()
    assert published.version == 4
    assert list(published.versions.values_list("number", "event")) == [
        (1, "publish"),
        (2, "correct"),
        (3, "update"),
        (4, "kill"),
    ]
    killed = published.versions.get(number=4)
    assert killed.body == ""
    assert killed.ninjs["pubstatus"] == "canceled"
    assert "Could not be confirmed." in published.kill_notice


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("correct", {"note": "  "}), ("kill", {"reason": ""}), ("withhold", {"reason": " "})],
)
def test_note_or_reason_required(name, kwargs, published, editor):
    with pytest.raises(workflow.TransitionNotAllowed):
        getattr(workflow, name)(published, by=editor, **kwargs)
    published.refresh_from_db()
    assert published.status == S.PUBLISHED
    assert published.version == 1


def test_publish_refuses_open_findings_without_override(draft, editor):
    from sources.models import Attribution

    Attribution.objects.create(article=draft, source=None, text="We are ready.", paragraph=0)
    with pytest.raises(workflow.OpenFindings, match="open attribution finding"):
        workflow.publish(draft, by=editor)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT

    workflow.publish(draft, by=editor, override_audit="Quote is from a public statement.")
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    entry = AuditEntry.objects.get(article=draft, action="publish")
    assert "Quote is from a public statement." in entry.note
    assert not draft.findings.filter(status="open").exists()
    assert draft.findings.filter(status="overridden", closed_by=editor).exists()


def test_override_needs_the_override_permission(draft, db):
    from django.contrib.auth.models import Permission

    from sources.models import Attribution

    Attribution.objects.create(article=draft, source=None, text="We are ready.", paragraph=0)
    publisher = UserFactory(username="publisher-only")
    publisher.user_permissions.add(
        Permission.objects.get(codename="publish_article", content_type__app_label="articles")
    )
    with pytest.raises(workflow.NotPermitted, match="override"):
        workflow.publish(draft, by=publisher, override_audit="Trust me.")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


# Outbox and transaction ---------------------------------------------------------------


@pytest.fixture
def outbox_signals():
    received: list[dict] = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    outbox_committed.connect(receiver, dispatch_uid="test-outbox-receiver")
    yield received
    outbox_committed.disconnect(dispatch_uid="test-outbox-receiver")


class Rollback(Exception):
    pass


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rolled_back_publish_leaves_no_trace_and_sends_nothing(outbox_signals):
    editor = UserFactory(username="eddie-tx", role="Editor")
    article = ArticleFactory()
    with pytest.raises(Rollback), transaction.atomic():
        workflow.publish(article, by=editor)
        assert OutboxEvent.objects.filter(article=article).exists()
        raise Rollback
    article.refresh_from_db()
    assert article.status == S.DRAFT
    assert not AuditEntry.objects.filter(article=article).exists()
    assert not OutboxEvent.objects.filter(article=article).exists()
    assert not ArticleVersion.objects.filter(article=article).exists()
    assert outbox_signals == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_publish_signals_once_after_commit(outbox_signals):
    editor = UserFactory(username="eddie-tx2", role="Editor")
    article = ArticleFactory()
    with transaction.atomic():
        workflow.publish(article, by=editor)
        assert outbox_signals == []  # not before the commit
    event = OutboxEvent.objects.get(article=article)
    assert outbox_signals == [
        {"signal": outbox_signals[0]["signal"], "event_id": event.pk, "article_id": article.pk}
    ]


class _Undo(Exception):
    pass


@pytest.mark.parametrize("state", ALL_STATES)
def test_the_buttons_offer_exactly_what_the_guard_allows(state, reporter, other_reporter, editor):
    """One table drives both: for every role, ownership, state and transition, the admin
    offers a move exactly when the transition itself goes through."""
    users = {
        "owner": reporter,
        "other reporter": other_reporter,
        "editor": editor,
        "standards": UserFactory(username="standards-user", role="Standards"),
    }
    story = story_in(state, reporter=reporter, editor=editor)
    for who, user in users.items():
        for name in ALLOWED_FROM:
            article = Article.objects.get(pk=story.pk)
            offered = name in workflow.allowed_transitions(user, article)
            try:
                with transaction.atomic():
                    run(name, article, user)
                    raise _Undo
            except _Undo:
                went_through = True
            except (workflow.NotPermitted, workflow.TransitionNotAllowed):
                went_through = False
            assert offered == went_through, (who, name, state)


def test_signals_are_imported_with_their_sender_not_behind_a_guard():
    from pathlib import Path

    package = Path(workflow.__file__).parent
    for module in package.glob("*.py"):
        assert "ImportError" not in module.read_text(), module.name
    from articles.workflow import versions

    assert versions.outbox_committed is outbox_committed
