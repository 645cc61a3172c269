"""The article list's "Import wire copy" page: upload .txt files, get a draft per file.

The upload stores the files and a task imports them; the progress page follows it.

Served inside the admin (see :mod:`ingest.urls`), at the article list's own path, so the
list's Import button keeps pointing at ``admin:articles_article_import``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article, Desk
from ingest.models import WireImport, WireImportFile
from ingest.tasks import enqueue_wire_import
from ingest.uploads import queue_wire_import, settle_overdue_import

MAX_FILES = 50
RECENT_IMPORTS = 5
# The progress page reloads itself (a meta refresh: the admin's policy allows no inline
# script) this often until the import is over.
PROGRESS_REFRESH_SECONDS = 2
FINISHED = {WireImportFile.Status.DONE, WireImportFile.Status.FAILED}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,text/plain"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files if f]
        if not cleaned:
            raise forms.ValidationError("Choose at least one .txt file.")
        if len(cleaned) > MAX_FILES:
            raise forms.ValidationError(f"At most {MAX_FILES} files at a time.")
        return cleaned


class WireUploadForm(forms.Form):
    files = MultipleFileField(label="Wire copy (.txt)")
    desk = forms.ModelChoiceField(queryset=Desk.objects.all(), empty_label=None)


def import_wire_view(request: HttpRequest) -> HttpResponse:
    """Store the uploaded files as an import to the chosen desk, enqueue its task and
    redirect (303) to its progress page; on GET, or a form with errors, show the form.

    The request does no parsing: the task does (`ingest.tasks.run_wire_import`). Refuses
    (403) a user who may not add articles; the admin wrapper has already refused anyone not
    logged in to the admin.
    """
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    form = WireUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            wire_import = queue_wire_import(
                form.cleaned_data["files"], desk=form.cleaned_data["desk"], by=request.user
            )
            enqueue_wire_import(wire_import.pk)
        url = reverse("admin:articles_article_import_progress", args=[wire_import.pk])
        return HttpResponseRedirect(url, status=303)
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "title": "Import wire copy",
        "form": form,
        "max_bytes": settings.WIRE_FILE_MAX_BYTES,
        "recent": WireImport.objects.filter(created_by=request.user)[:RECENT_IMPORTS],
    }
    return TemplateResponse(request, "ingest/import_wire.html", context)


def import_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's progress, file by file; the page reloads itself until the import is over.

    Shown to the user who uploaded it and to superusers; anyone else gets a 404. An import
    left running past its hard time limit is reported failed (`settle_overdue_import`).
    The same number of queries whatever the number of files.
    """
    imports = WireImport.objects.select_related("desk")
    if not request.user.is_superuser:
        imports = imports.filter(created_by=request.user)
    wire_import = get_object_or_404(imports, pk=pk)
    settle_overdue_import(wire_import, hard_limit=settings.WIRE_IMPORT_TIME_LIMIT)
    files = list(wire_import.files.select_related("article").defer("content", "article__body"))
    processed = sum(f.status in FINISHED for f in files)
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "title": f"Wire import #{wire_import.pk}",
        "wire_import": wire_import,
        "files": files,
        "processed": processed,
        "failed": sum(f.status == WireImportFile.Status.FAILED for f in files),
        "refresh_seconds": None if wire_import.finished else PROGRESS_REFRESH_SECONDS,
    }
    return TemplateResponse(request, "ingest/import_progress.html", context)
