from django.urls import path

from .views import posts

app_name = "groups"

urlpatterns = [
    path("branch/<int:branch_pk>/posts/", posts.branch_posts, name="posts"),
    path("branch/<int:branch_pk>/posts/new/", posts.post_new, name="post_new"),
    path("posts/<int:pk>/", posts.post_detail, name="post"),
    path("posts/<int:pk>/check/", posts.spot_check, name="post_check"),
    path("posts/<int:pk>/review/", posts.review, name="post_review"),
    path("posts/area/", posts.area, name="posts_area"),
    path("posts/area/<int:unit_pk>/", posts.area, name="posts_area_unit"),
    path("posts/mine/", posts.mine, name="my_posts"),
]
