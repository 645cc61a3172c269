"""The article list's "Import wire copy" page: upload .txt files, get a draft per file.

Served inside the admin (see :mod:`ingest.urls`), at the article list's own path, so the
list's Import button keeps pointing at ``admin:articles_article_import``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from articles.models import Article, Desk
from ingest.services import ImportResult, import_story
from wire.files import WireFileError, decode_wire_bytes
from wire.pipeline import parse_wire_text

MAX_FILES = 50


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


def read_upload(upload) -> str:
    """The text of one uploaded file, refused the same way `import_wire` refuses a path."""
    if upload.size > settings.WIRE_FILE_MAX_BYTES:
        raise WireFileError(
            upload.name,
            f"is {upload.size:,} bytes; the limit is {settings.WIRE_FILE_MAX_BYTES:,} bytes",
        )
    return decode_wire_bytes(upload.read(), path=upload.name)


def import_wire_view(request: HttpRequest) -> HttpResponse:
    """Import each uploaded file as a draft on the chosen desk and report a result per file.

    Refuses (403) a user who may not add articles; the admin wrapper has already refused
    anyone not logged in to the admin.
    """
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    results: list[ImportResult] = []
    form = WireUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        desk = form.cleaned_data["desk"]
        for upload in form.cleaned_data["files"]:
            try:
                story = parse_wire_text(read_upload(upload), file=upload.name)
            except WireFileError as exc:
                results.append(ImportResult(file=upload.name, error=exc.reason))
                continue
            results.append(import_story(story, desk=desk, by=request.user, file=upload.name))
    context = {
        **admin.site.each_context(request),
        "opts": Article._meta,
        "title": "Import wire copy",
        "form": form,
        "results": results,
        "max_bytes": settings.WIRE_FILE_MAX_BYTES,
    }
    return TemplateResponse(request, "ingest/import_wire.html", context)
