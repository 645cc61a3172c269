from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.front_page, name="front"),
    path("desks/<slug:slug>/", views.desk_page, name="desk"),
    path("stories/<slug:slug>/", views.story, name="story"),
]
