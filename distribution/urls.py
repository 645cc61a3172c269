from django.urls import include, path

urlpatterns = [
    path("feeds/", include("distribution.feeds.urls")),
    path("api/", include("distribution.api.urls")),
]
