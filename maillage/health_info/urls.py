from django.urls import path

app_name = "health_info"

urlpatterns: list[object] = []
