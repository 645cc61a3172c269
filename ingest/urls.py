"""Ingest's pages inside the admin, for ``newsroom/urls.py`` to put ahead of the admin's own.

The upload keeps the path and name it had when the article admin served it
(``/admin/articles/article/import/``, ``admin:articles_article_import``), so the article
list's Import button and any bookmark still reach it; it must come before the article
admin's ``<object_id>/`` pattern, which would otherwise take ``import`` for an article id.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from ingest.push import push_view
from ingest.views import import_progress_view, import_wire_view

admin_urlpatterns = [
    path(
        "articles/article/import/",
        admin.site.admin_view(import_wire_view),
        name="articles_article_import",
    ),
    path(
        "articles/article/import/<int:pk>/",
        admin.site.admin_view(import_progress_view),
        name="articles_article_import_progress",
    ),
]

# Outside the admin: agencies push here (signed, no session).
public_urlpatterns = [
    path("ingest/push/<str:ref>/", push_view, name="ingest_push"),
]
