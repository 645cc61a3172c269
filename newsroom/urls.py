from django.contrib import admin
from django.urls import include, path

from ingest.urls import admin_urlpatterns as ingest_admin_urlpatterns
from ingest.urls import public_urlpatterns as ingest_public_urlpatterns
from newsroom import health

urlpatterns = [
    path("livez", health.livez, name="livez"),
    path("healthz", health.healthz, name="healthz"),
    # The second factor's pages, inside the admin's path and its security policy.
    path("admin/mfa/webauthn/", include("mfa.webauthn")),
    path("admin/mfa/", include("mfa.urls")),
    # One "admin" namespace: ingest's upload page first, then the admin's own URLs (whose
    # article pages would otherwise read the upload's path as an article id).
    path("admin/", (ingest_admin_urlpatterns + admin.site.get_urls(), "admin", admin.site.name)),
    *ingest_public_urlpatterns,
    path("", include("articles.urls")),
    path("", include("distribution.urls")),
]

# A request Django refuses (too many fields, a form over its size) says which limit it passed.
handler400 = "newsroom.limits.bad_request"
