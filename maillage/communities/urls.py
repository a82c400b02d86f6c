from django.urls import path

from maillage.communities import views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("regles/", views.rules, name="rules"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<uuid:post_id>/", views.moderate, name="moderate"),
    path("moderation/membre/<int:member_id>/", views.sanction, name="sanction"),
    path("fil/<uuid:thread_id>/", views.thread_detail, name="thread"),
    path("message/<uuid:post_id>/", views.post_action, name="post_action"),
    path("message/<uuid:post_id>/signaler/", views.report, name="report"),
    path("photo/<uuid:image_id>/", views.image, name="image"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/rejoindre/", views.join, name="join"),
    path("<slug:slug>/nouvelle-discussion/", views.new_thread, name="new_thread"),
]
