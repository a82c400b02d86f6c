from django.urls import path

from maillage.profiles import views

app_name = "profiles"

urlpatterns = [
    path("medecins/", views.directory, name="directory"),
    path("medecins/<slug:slug>/", views.profile_page, name="profile"),
    path("medecins/<slug:slug>/photo/", views.photo, name="photo"),
    path("cabinet/profil/", views.edit, name="edit"),
    path("cabinet/profil/publier/", views.publish, name="publish"),
    path("cabinet/profil/retirer/", views.withdraw, name="withdraw"),
]
