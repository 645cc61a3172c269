"""The editor admin. Importing the package registers every articles model."""

from django.contrib import admin

from articles.admin import alerts, article, reference  # noqa: F401

admin.site.site_header = "Newsroom desk"
admin.site.site_title = "Newsroom"
admin.site.index_title = "The desk"
# The home page shows the open alerts first (articles.alerts).
admin.site.index_template = "admin/articles/index.html"
# The article list needs the width more than the app menu does; the menu stays on the
# admin's home page.
admin.site.enable_nav_sidebar = False
