"""Feed URLs (see the operations contract): /feeds/<fmt>/ and /feeds/<kind>/<value>/<fmt>/."""

from django.urls import re_path

from distribution.feeds import views

app_name = "feeds"
# Where distribution.urls mounts these; CachedFeedMiddleware matches the same URLs under it.
MOUNT = "feeds/"

FMT = r"(?P<fmt>rss|atom|json)"

urlpatterns = [
    re_path(rf"^{FMT}/$", views.feed, name="all"),
    re_path(rf"^desk/(?P<value>[-\w]+)/{FMT}/$", views.feed, {"kind": "desk"}, name="desk"),
    re_path(rf"^topic/(?P<value>[-\w]+)/{FMT}/$", views.feed, {"kind": "topic"}, name="topic"),
    re_path(rf"^lang/(?P<value>[-A-Za-z0-9]+)/{FMT}/$", views.feed, {"kind": "lang"}, name="lang"),
]
