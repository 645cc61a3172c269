from django.urls import include, path

from distribution.feeds.urls import MOUNT as FEEDS_MOUNT

urlpatterns = [
    path(FEEDS_MOUNT, include("distribution.feeds.urls")),
    path("api/", include("distribution.api.urls")),
]
