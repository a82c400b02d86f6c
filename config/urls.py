from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from maillage.operations.views import admin_login
from maillage.portal import views as portal_views

# The admin signs in through allauth, so the second factor applies there too. Health data
# (patients, proxies, declarations, audit) is deliberately not registered in the admin:
# its writes must go through the audited services.
admin.site.login = admin_login  # type: ignore[method-assign]  # see operations.views.admin_login
admin.site.site_header = "Maillage — administration"

urlpatterns = [
    path("", include("maillage.portal.urls")),
    path("accounts/", include("allauth.urls")),
    path("compte/", include("maillage.accounts.urls")),
    path("annuaire/", include("maillage.directory.urls")),
    path("sante/", include("maillage.health_info.urls")),
    path("auto-evaluation/", include("maillage.triage.urls")),
    path("", include("maillage.consultations.urls")),
    path("", include("maillage.teleconsultation.urls")),
    path("notifications/", include("maillage.notifications.urls")),
    path("dossier/", include("maillage.records.urls")),
    path("cabinet/teleexpertise/", include("maillage.expertise.urls")),
    path("cas/", include("maillage.cases.urls")),
    path("communautes/", include("maillage.communities.urls")),
    path("", include("maillage.profiles.urls")),
    path("tableaux/", include("maillage.dashboards.urls")),
    path("exploitation/", include("maillage.operations.urls")),
    path("fhir/", include("maillage.fhir_api.urls")),
    path("oauth/", include("maillage.fhir_api.oauth_urls")),
    path("api/", include("maillage.fhir_api.api_urls")),
    path("i18n/langue/", portal_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "maillage.portal.views.bad_request"
handler404 = "maillage.portal.views.page_not_found"
handler500 = "maillage.portal.views.server_error"

if settings.DEBUG:  # pragma: no cover - media files are served by the reverse proxy at scale
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
