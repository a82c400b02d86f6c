from django.urls import path

from maillage.health_info import views

app_name = "health_info"

urlpatterns = [
    path("", views.library, name="library"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
