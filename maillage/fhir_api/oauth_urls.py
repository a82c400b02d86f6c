"""OAuth 2 endpoints of django-oauth-toolkit, under /oauth/ (SMART apps use the first two).

Applications are registered by an operator in the admin: no self-service registration page.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from oauth2_provider import views as oauth

from maillage.core.ratelimit import limit_posts

app_name = "fhir_oauth"

urlpatterns = [
    # Signed in, with the second factor for professionals (the session middlewares apply).
    path(
        "authorize/",
        oauth.AuthorizationView.as_view(template_name="fhir_api/authorize.html"),
        name="authorize",
    ),
    # Called by the app itself, with the code and the PKCE verifier: no session. Rate limited
    # per address: codes and refresh tokens are not to be guessed by brute force.
    path(
        "token/",
        login_not_required(limit_posts("oauth_token")(oauth.TokenView.as_view())),
        name="token",
    ),
    path("revoke/", login_not_required(oauth.RevokeTokenView.as_view()), name="revoke"),
    path("introspect/", login_not_required(oauth.IntrospectTokenView.as_view()), name="introspect"),
]
