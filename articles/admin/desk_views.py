"""The article admin's own pages: workflow transitions, preview, versions and their diff,
and resolving an attribution finding.

Each view is thin: it finds the article the user may see, calls the domain function, and
turns a refusal into a message. The rules are in `articles.workflow` and `sources.findings`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache

from articles import workflow
from articles.diff import compare_versions
from articles.forms import TRANSITION_LABELS, ResolveFindingForm, TransitionForm, VersionDiffForm
from articles.models import Article, AuditEntry
from articles.reach import Reach, reach_of
from articles.rendering import render_story_html
from articles.unsent import unsent_changes
from sources.findings import FindingNotResolvable, resolve_finding
from sources.models import AuditFinding

SUCCESS = {
    "submit": "“{headline}” is with the desk.",
    "approve": "“{headline}” is approved and ready to move.",
    "return_to_reporter": "“{headline}” went back to the reporter as a draft.",
    "publish": "“{headline}” moved on the wire (version {version}).",
    "correct": "The correction to “{headline}” moved (version {version}).",
    "update": "The writethru of “{headline}” moved (version {version}).",
    "withhold": "“{headline}” is withheld from every channel.",
    "release": "“{headline}” is released again.",
    "kill": "“{headline}” is killed; the kill notice went to every channel.",
}


def _article_or_404(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str):
    article = model_admin.get_object(request, unquote(object_id))
    if article is None:
        raise Http404("No such story.")
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


def _change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def transition_view(
    request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str, name: str
) -> HttpResponse:
    """POST only: run the workflow transition `name`; refusals come back as messages."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if name not in workflow.TRANSITIONS:
        raise Http404("No such transition.")
    article = _article_or_404(request, model_admin, object_id)
    form = TransitionForm(name, request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(_change_url(article))
    reach = None
    if name == "kill" and form.cleaned_data.get("reason", "").strip():
        # A kill cannot be undone: the editor first sees where the story went.
        reach = reach_of(article)
        if request.POST.get("confirmed") != "yes":
            return _confirm_kill(request, model_admin, article, form, reach)
    try:
        moved = getattr(workflow, name)(article, by=request.user, **form.workflow_kwargs())
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if name == "publish" and moved.status != Article.Status.PUBLISHED:
            when = moved.scheduled_for.strftime("%Y-%m-%d %H:%M %Z")
            messages.success(request, f"“{moved.headline}” is scheduled to move at {when}.")
        else:
            text = SUCCESS[name].format(headline=moved.headline, version=moved.version)
            if reach is not None:
                text += f" {_reach_sentence(reach, done=True)}"
            messages.success(request, text)
    return redirect(_change_url(article))


def _reach_sentence(reach: Reach, *, done: bool) -> str:
    feeds = f"{len(reach.feeds)} feed{'' if len(reach.feeds) == 1 else 's'}"
    partners = f"{reach.partners} partner{'' if reach.partners == 1 else 's'}"
    days = f"{reach.feed_days} day{'' if reach.feed_days == 1 else 's'}"
    if not reach.feeds:
        # Killed before readers had it (under embargo): no feed ever listed it.
        if done:
            return f"No feed had listed it; {partners} notified by push."
        return f"No feed has listed it yet, and {partners} will be notified by push."
    if done:
        return (
            f"It was taken out of {feeds}, which carry the kill notice for {days}; "
            f"{partners} notified by push."
        )
    return (
        f"It will be taken out of {feeds}, which will carry the kill notice for {days}, "
        f"and {partners} will be notified by push."
    )


def _confirm_kill(
    request: HttpRequest,
    model_admin: admin.ModelAdmin,
    article: Article,
    form: TransitionForm,
    reach: Reach,
) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": article,
        "title": f"Kill “{article.headline}”?",
        "reason": form.cleaned_data["reason"].strip(),
        "reach": reach,
        "reach_sentence": _reach_sentence(reach, done=False),
        "change_url": _change_url(article),
    }
    return TemplateResponse(request, "admin/articles/article/kill_confirm.html", context)


@never_cache
def preview_view(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str):
    """The story as the public page will show it, from the same template."""
    article = _article_or_404(request, model_admin, object_id)
    return HttpResponse(render_story_html(article, request=request, preview=True))


def versions_view(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str):
    """What moved, version by version, a diff of any two, the findings and the audit trail."""
    article = _article_or_404(request, model_admin, object_id)
    versions = list(article.versions.select_related("created_by").order_by("-number"))
    by_number = {v.number: v for v in versions}
    diff_form = VersionDiffForm(request.GET or None)
    rows, compared = None, None
    if diff_form.is_valid():
        old = by_number.get(diff_form.cleaned_data["a"])
        new = by_number.get(diff_form.cleaned_data["b"])
        if old is None or new is None:
            diff_form.add_error(None, "This story has no such version.")
        else:
            rows, compared = compare_versions(old, new), (old, new)
    elif len(versions) >= 2 and not request.GET:
        # Opening the page shows what the latest version changed.
        compared = (versions[1], versions[0])
        rows = compare_versions(*compared)
    trail = None
    if request.user.has_perm("articles.view_auditentry"):
        trail = AuditEntry.objects.filter(article=article).select_related("actor")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": article,
        "title": f"Versions of “{article.headline}”",
        "versions": versions,
        "diff_form": diff_form,
        "rows": rows,
        "compared": compared,
        "trail": trail,
        "findings": article.findings.select_related("closed_by").order_by("status", "code"),
    }
    return TemplateResponse(request, "admin/articles/article/versions.html", context)


def resolve_finding_view(
    request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str, finding_id: str
) -> HttpResponse:
    """POST only: an editor closes an open attribution finding, saying why."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_404(request, model_admin, object_id)
    finding = get_object_or_404(AuditFinding, pk=finding_id, article=article)
    form = ResolveFindingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the finding does not stand.")
        return redirect(_change_url(article))
    try:
        resolve_finding(finding, by=request.user, reason=form.cleaned_data["reason"])
    except FindingNotResolvable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Finding resolved: {finding.message}")
    return redirect(_change_url(article))


def discard_view(request: HttpRequest, model_admin: admin.ModelAdmin, object_id: str):
    """POST only: put a published story's working copy back as it was last sent."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = _article_or_404(request, model_admin, object_id)
    try:
        restored = workflow.discard_unsent_changes(article, by=request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Unsent changes discarded: {', '.join(restored)} are as version "
            f"{article.version} sent them.",
        )
        if article.unsent_fields:
            messages.warning(
                request,
                f"Still not sent: {article.unsent_fields}. Change them back by hand, or move "
                "them as a correction or writethru.",
            )
    return redirect(_change_url(article))


# The banner's moves, in the order it offers them.
UNSENT_MOVES = {"correct": "Move as correction", "update": "Move as writethru"}


def desk_panel_context(request: HttpRequest, article: Article) -> dict:
    """What the change form shows above the copy: buttons, findings, the lock it opened at,
    and the unsent-changes banner of a published story whose copy differs from what went
    out (with the moves this user may make from it)."""
    names = workflow.allowed_transitions(request.user, article)
    unsent = unsent_changes(article)
    return {
        "unsent": unsent,
        "unsent_moves": [
            {"name": n, "label": label, "form": TransitionForm(n, auto_id=f"id_unsent_{n}_%s")}
            for n, label in UNSENT_MOVES.items()
            if unsent and n in names
        ],
        "can_discard": bool(unsent) and workflow.can_edit_copy(request.user, article),
        "transitions": [
            {"name": n, "label": TRANSITION_LABELS[n], "form": TransitionForm(n)} for n in names
        ],
        "open_findings": list(
            article.findings.filter(status=AuditFinding.Status.OPEN).order_by("code")
        ),
        "resolve_form": ResolveFindingForm(),
        "can_resolve": request.user.has_perm("sources.change_auditfinding"),
    }
