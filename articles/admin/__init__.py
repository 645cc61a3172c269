"""The editor admin. Importing the package registers every articles model."""

from django.contrib import admin

from articles.admin import article, reference  # noqa: F401

admin.site.site_header = "Newsroom desk"
admin.site.site_title = "Newsroom"
admin.site.index_title = "The desk"
