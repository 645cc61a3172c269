from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("stories/<slug:slug>/", views.story, name="story"),
]
