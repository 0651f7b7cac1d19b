from django.urls import path

from .views import assessment, brand_groups, group, innovation, me, members, posts

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
    path("branch/<int:branch_pk>/innovation/", innovation.branch_items, name="innovation"),
    path("branch/<int:branch_pk>/innovation/new/", innovation.item_new, name="innovation_new"),
    path("innovation/<int:pk>/decide/", innovation.item_decide, name="innovation_decide"),
    path("innovation/<int:pk>/recommend/", innovation.item_recommend, name="innovation_recommend"),
    path("innovation/mine/", innovation.mine, name="my_innovation"),
    path("innovation/area/", innovation.area, name="innovation_area"),
    path("innovation/area/<int:unit_pk>/", innovation.area, name="innovation_area_unit"),
    path("me/", me.me, name="me"),
    path("group/<int:pk>/", group.group_page, name="group"),
    path("group/photos/<int:pk>/", group.brand_photo, name="brand_photo"),
    path("group/photos/<int:pk>/thumb/", group.brand_photo, {"thumb": True}, name="brand_thumb"),
    path("group/photos/<int:pk>/delete/", group.brand_photo_delete, name="brand_photo_delete"),
    path("branch/<int:branch_pk>/assessments/", assessment.branch_assessments, name="assessments"),
    path("assessments/<int:pk>/", assessment.assessment_page, name="assessment"),
    path("assessments/<int:pk>/reopen/", assessment.reopen, name="assessment_reopen"),
    path(
        "branch/<int:branch_pk>/brand-groups/propose/",
        brand_groups.propose,
        name="brand_group_propose",
    ),
    path("branch/<int:branch_pk>/members/", members.branch_periods, name="member_periods"),
    path("member-periods/<int:pk>/", members.period_page, name="member_period"),
    path("member-periods/<int:pk>/coefficients/", members.coefficients, name="member_coefficients"),
    path("member-periods/<int:pk>/include/", members.include_new, name="member_include"),
    path("member-periods/<int:pk>/withdraw/", members.withdraw, name="member_withdraw"),
    path("member-assessments/<int:pk>/", members.assessment_page, name="member_assessment"),
    path("brand-groups/", brand_groups.queue, name="brand_groups"),
    path("brand-groups/<int:pk>/decide/", brand_groups.decide, name="brand_group_decide"),
]
