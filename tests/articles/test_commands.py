"""The operator commands of the operations contract, run as an operator runs them."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles.models import Article, AuditEntry, OutboxEvent
from sources.models import Attribution, Source
from tests.factories import ArticleFactory, DeskFactory

S = Article.Status


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_publish_by_slug_as_the_system_editor(draft):
    output = run("publish", draft.slug)
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    assert draft.version == 1
    assert draft.slug in output and "version 1" in output
    entry = AuditEntry.objects.get(article=draft, action="publish")
    assert entry.actor_name == "system-editor"
    assert OutboxEvent.objects.filter(article=draft, event_type="article.published").exists()


def test_publish_under_embargo(draft):
    until = (timezone.now() + timedelta(hours=3)).replace(microsecond=0)
    output = run("publish", draft.slug, "--embargo-until", until.isoformat())
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    assert draft.embargo_until == until
    assert draft.is_embargoed
    assert "embargoed until" in output


def test_publish_reads_a_time_without_offset_in_the_newsroom_zone(draft):
    until = (timezone.now() + timedelta(hours=3)).replace(microsecond=0, tzinfo=None)
    run("publish", draft.slug, "--embargo-until", until.isoformat())
    draft.refresh_from_db()
    assert draft.embargo_until == timezone.make_aware(until)


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01T00:00", "12/03/2026 14:00", ""])
def test_publish_refuses_a_bad_date(draft, bad):
    with pytest.raises(CommandError, match="--embargo-until .*ISO 8601"):
        run("publish", draft.slug, "--embargo-until", bad or "  ")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_publish_refuses_an_embargo_in_the_past(draft):
    past = (timezone.now() - timedelta(minutes=5)).isoformat()
    with pytest.raises(CommandError, match="in the past"):
        run("publish", draft.slug, "--embargo-until", past)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_unknown_slug(db):
    with pytest.raises(CommandError, match="No story with slug 'no-such-story'"):
        run("publish", "no-such-story")


def test_slug_on_two_desks_needs_a_desk(desk):
    nairobi = DeskFactory(name="Nairobi", slug="nairobi")
    ArticleFactory(desk=desk, slug="budget-vote")
    theirs = ArticleFactory(desk=nairobi, slug="budget-vote")
    with pytest.raises(CommandError, match=r"several desks \(nairobi, washington\).*--desk"):
        run("publish", "budget-vote")
    run("publish", "budget-vote", "--desk", "nairobi")
    theirs.refresh_from_db()
    assert theirs.status == S.PUBLISHED
    assert Article.objects.get(desk=desk).status == S.DRAFT


def test_publish_refuses_what_is_already_published(published):
    with pytest.raises(CommandError, match="Cannot publish"):
        run("publish", published.slug)
    published.refresh_from_db()
    assert published.version == 1


def test_publish_with_open_findings_needs_an_override(draft):
    Attribution.objects.create(article=draft, source=None, text="It is over.", paragraph=0)
    with pytest.raises(CommandError, match="open attribution finding"):
        run("publish", draft.slug)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT

    with pytest.raises(CommandError, match="needs a reason"):
        run("publish", draft.slug, "--override-audit", "  ")

    run("publish", draft.slug, "--override-audit", "Quote is from the ministry's own statement.")
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    entry = AuditEntry.objects.get(article=draft, action="publish")
    assert "Quote is from the ministry's own statement." in entry.note
    assert entry.actor_name == "system-editor"


def test_correct(published):
    output = run("correct", published.slug, "--note", "Fixes the minister's title.")
    published.refresh_from_db()
    assert published.version == 2
    version = published.versions.get(number=2)
    assert (version.event, version.note) == ("correct", "Fixes the minister's title.")
    assert "version 2" in output


def test_correct_needs_a_note_and_a_published_story(desk, published):
    draft = ArticleFactory(desk=desk)
    with pytest.raises(CommandError, match="--note"):
        run("correct", published.slug)
    with pytest.raises(CommandError, match="needs a note"):
        run("correct", published.slug, "--note", " ")
    with pytest.raises(CommandError, match="Cannot correct"):
        run("correct", draft.slug, "--note", "Something.")


def test_kill(published):
    output = run("kill", published.slug, "--reason", "The document was forged.")
    published.refresh_from_db()
    assert published.status == S.KILLED
    assert "The document was forged." in published.kill_notice
    assert "Killed" in output
    assert OutboxEvent.objects.filter(article=published, event_type="article.killed").exists()


def test_kill_refuses_a_draft_and_a_missing_reason(desk, published):
    draft = ArticleFactory(desk=desk)
    with pytest.raises(CommandError, match="Cannot kill"):
        run("kill", draft.slug, "--reason", "Wrong.")
    with pytest.raises(CommandError, match="needs a reason"):
        run("kill", published.slug, "--reason", "")


# load_demo ------------------------------------------------------------------------------


def snapshot() -> dict[str, list]:
    """Every row of the editorial tables, so two loads can be compared exactly."""
    models = [
        *apps.get_app_config("articles").get_models(),
        *apps.get_app_config("sources").get_models(),
        apps.get_model("auth", "User"),
    ]
    return {model._meta.label: sorted(model.objects.values_list(), key=repr) for model in models}


def test_load_demo_twice_changes_nothing(db):
    assert "7 stories" in run("load_demo")
    first = snapshot()
    assert "nothing changed" in run("load_demo")
    assert snapshot() == first


def test_demo_content(db, client):
    run("load_demo")
    assert set(apps.get_model("articles", "Desk").objects.values_list("name", flat=True)) >= {
        "Washington",
        "VOA Mandarin",
        "Nairobi",
    }
    stories = Article.objects.all()
    assert 6 <= stories.count() <= 10
    by_status = {status: list(stories.filter(status=status)) for status in S.values}
    assert len(by_status[S.KILLED]) == 1
    assert len(by_status[S.SUBMITTED]) == 1
    corrected = [a for a in stories if a.versions.filter(event="correct").exists()]
    assert len(corrected) == 1 and corrected[0].status == S.PUBLISHED
    embargoed = [a for a in by_status[S.PUBLISHED] if a.is_embargoed]
    assert len(embargoed) == 1
    assert embargoed[0].embargo_until > timezone.now() + timedelta(hours=1)

    for article in stories:
        assert article.body.count("<p>") >= 4
        assert "<h2>" in article.body
        assert article.dateline_place
        assert article.credits.exists()
        quotes = list(article.attributions.all())
        assert quotes and all(q.source_id for q in quotes)
        assert not article.findings.filter(status="open").exists()

    credit_lines = [a.versions.last().credit_line for a in stories if a.versions.exists()]
    assert "VOA Mandarin's Lin Yuwen contributed to this report." in credit_lines

    anonymous = Source.objects.get(confidential=True)
    assert anonymous.name == "a senior diplomat"
    assert anonymous.anonymity_reason and anonymous.anonymity_approved_by
    assert anonymous.identity and "Marchetti" not in anonymous.identity
    assert anonymous.contact and "Signal" not in anonymous.contact
    assert anonymous.attributions.exists()

    live = next(a for a in by_status[S.PUBLISHED] if not a.is_embargoed)
    assert client.get(f"/stories/{live.slug}/").status_code == 200
    assert client.get(f"/stories/{embargoed[0].slug}/").status_code == 404
    assert client.get(f"/stories/{by_status[S.KILLED][0].slug}/").status_code == 410
    assert client.get(f"/stories/{by_status[S.SUBMITTED][0].slug}/").status_code == 404
    page = client.get(f"/stories/{corrected[0].slug}/").content.decode()
    assert "Correction" in page and "15-8" in page and "14-9" not in page.split("</p>", 3)[-1]


def test_demo_never_prints_the_confidential_identity(db, client):
    run("load_demo")
    source = Source.objects.get(confidential=True)
    story = source.attributions.first().article
    page = client.get(f"/stories/{story.slug}/").content.decode()
    assert "a senior diplomat" in page.lower()
    assert "Marchetti" not in page
    assert "Marchetti" not in str(story.versions.last().ninjs)


# rotate_source_keys ----------------------------------------------------------------------


def test_rotate_source_keys(db, settings):
    from cryptography.fernet import Fernet

    from sources import services

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SOURCE_ENCRYPTION_KEYS = [old]
    source = services.set_protected(
        Source(name="a ministry official", kind=Source.Kind.UNNAMED, confidential=True),
        identity="Dana Whitlow",
        contact="+1 202 555 0100",
    )
    source.save()

    settings.SOURCE_ENCRYPTION_KEYS = [new]
    with pytest.raises(CommandError, match="SOURCE_ENCRYPTION_KEYS"):
        run("rotate_source_keys")

    settings.SOURCE_ENCRYPTION_KEYS = [new, old]
    assert "1 source" in run("rotate_source_keys")
    settings.SOURCE_ENCRYPTION_KEYS = [new]
    source.refresh_from_db()
    assert Fernet(new.encode()).decrypt(source.identity.encode()).decode() == "Dana Whitlow"
    assert Fernet(new.encode()).decrypt(source.contact.encode()).decode() == "+1 202 555 0100"


def test_the_readme_names_the_demo_story_waiting_at_the_desk_as_it_is(db):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    headline, status = re.search(
        r"the demo story\s+waiting at the desk, “(.+?)” \(status (\w+)\)", readme, re.S
    ).groups()
    run("load_demo")

    story = Article.objects.get(headline=" ".join(headline.split()))
    assert story.get_status_display() == status == "Submitted"


# withhold, release, update ---------------------------------------------------------------


def exit_code_of(*argv: str) -> tuple[int, str]:
    """`manage.py *argv` as the shell runs it: the exit status `run_from_argv` would give
    (argparse's own exit for a usage error, CommandError.returncode for a refusal) and the
    message. (`run_from_argv` itself closes every database connection, the test's too.)"""
    import contextlib

    from django.core.management import get_commands, load_command_class

    name, *rest = argv
    command = load_command_class(get_commands()[name], name)
    command._called_from_command_line = True
    err = StringIO()
    try:
        with contextlib.redirect_stderr(err):
            options = command.create_parser("manage.py", name).parse_args(rest)
        command.stdout, command.stderr = StringIO(), err
        options = vars(options)
        command.execute(*options.pop("args", ()), **options)
    except SystemExit as exit_:
        return int(exit_.code or 0), err.getvalue()
    except CommandError as error:
        return error.returncode, str(error)
    return 0, err.getvalue()


def test_withhold_and_release(published):
    output = run("withhold", published.slug, "--reason", "Legal is reading it.")
    published.refresh_from_db()
    assert published.status == S.WITHHELD
    assert published.withhold_reason == "Legal is reading it."
    assert "Withheld" in output and published.slug in output
    entry = AuditEntry.objects.get(article=published, action="withhold")
    assert entry.actor_name == "system-editor" and entry.note == "Legal is reading it."
    assert OutboxEvent.objects.filter(article=published, event_type="article.withheld").exists()

    output = run("release", published.slug)
    published.refresh_from_db()
    assert published.status == S.PUBLISHED and published.version == 1
    assert "Released" in output
    assert OutboxEvent.objects.filter(article=published, event_type="article.released").exists()


def test_update_moves_a_writethru(published):
    published.body = "<p>The writethru's new top.</p>"
    published.save(update_fields=["body"])
    output = run("update", published.slug, "--note", "Adds the vote count.")
    published.refresh_from_db()
    assert published.version == 2
    version = published.versions.get(number=2)
    assert (version.event, version.note) == ("update", "Adds the vote count.")
    assert "The writethru's new top." in version.body
    assert "version 2" in output
    assert AuditEntry.objects.get(article=published, action="update").actor_name == "system-editor"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["withhold", "{draft}", "--reason", "Why."], "Cannot withhold"),
        (["withhold", "{published}", "--reason", " "], "needs a reason"),
        (["release", "{published}"], "Cannot release"),
        (["update", "{draft}", "--note", "More."], "Cannot update"),
        (["withhold", "no-such-story", "--reason", "Why."], "No story with slug"),
        (["release", "no-such-story"], "No story with slug"),
        (["update", "no-such-story", "--note", "More."], "No story with slug"),
    ],
)
def test_refusals_exit_1_saying_why(desk, published, argv, says):
    draft = ArticleFactory(desk=desk)
    argv = [a.format(draft=draft.slug, published=published.slug) for a in argv]
    code, err = exit_code_of(*argv)
    assert code == 1
    assert says in err
    published.refresh_from_db()
    assert (published.status, published.version) == (S.PUBLISHED, 1)


@pytest.mark.parametrize(
    "argv", [["withhold", "{published}"], ["update", "{published}"], ["release"]]
)
def test_missing_arguments_exit_2(published, argv):
    code, err = exit_code_of(*[a.format(published=published.slug) for a in argv])
    assert code == 2
    assert "required" in err
