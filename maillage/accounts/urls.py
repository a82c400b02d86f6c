from django.urls import path

from maillage.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("mandataires/ajouter/", views.proxy_add, name="proxy_add"),
    path("mandataires/<uuid:proxy_id>/retirer/", views.proxy_revoke, name="proxy_revoke"),
    path("invitations/<uuid:invitation_id>/", views.invitation, name="invitation"),
    path(
        "invitations/<uuid:invitation_id>/accepter/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<uuid:invitation_id>/refuser/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path(
        "invitations/<uuid:invitation_id>/retirer/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
]
