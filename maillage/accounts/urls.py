from django.urls import path

from maillage.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("mandataires/ajouter/", views.proxy_add, name="proxy_add"),
    path("mandataires/<uuid:proxy_id>/retirer/", views.proxy_revoke, name="proxy_revoke"),
]
