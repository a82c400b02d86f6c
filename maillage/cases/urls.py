from django.urls import path

from maillage.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nouveau/", views.new_case, name="new"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/relecture/", views.review, name="review"),
    path("images/<uuid:image_id>/", views.image, name="image"),
]
