from django.urls import path

from .views import acceptance as acceptance_views
from .views import applications as views
from .views import clusters as cluster_views
from .views import coverage as coverage_views
from .views import lifecycle as lifecycle_views
from .views import reshaping as reshaping_views
from .views import showcase as showcase_views

app_name = "brands"

urlpatterns = [
    path("", views.index, name="index"),
    path("queue/", views.queue, name="queue"),
    path("queue/approve/", views.bulk_approve, name="bulk_approve"),
    path("new/<int:unit_pk>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("revisions/<int:pk>/", views.revision, name="revision"),
    # 验收评审 scored on the five-force table (brands/acceptance.py).
    path("<int:pk>/acceptance/", acceptance_views.score, name="score_acceptance"),
    path("<int:pk>/attachments/", views.upload_attachment, name="upload_attachment"),
    path("<int:pk>/logo/", views.logo, name="logo"),
    path("<int:pk>/logo/thumb/", views.logo, {"size": "thumb"}, name="logo_thumb"),
    path("attachments/<int:pk>/", views.download_attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", views.delete_attachment, name="delete_attachment"),
    # 品牌重塑: a new revision of an approved brand, reviewed up the chain.
    path("<int:pk>/reshape/", reshaping_views.start, name="start_reshaping"),
    path("reshapings/<int:pk>/", reshaping_views.detail, name="reshaping"),
    path("reshapings/<int:pk>/edit/", reshaping_views.edit, name="edit_reshaping"),
    path("reshapings/<int:pk>/act/<slug:action>/", reshaping_views.act, name="act_reshaping"),
    path("reshapings/<int:pk>/logo/", reshaping_views.logo, name="reshaping_logo"),
    path("reshaping-revisions/<int:pk>/", reshaping_views.revision, name="reshaping_revision"),
    path("showcase/", showcase_views.showcase, name="showcase"),
    path("showcase/clusters/", showcase_views.clusters, name="clusters"),
    path("showcase/<int:pk>/", showcase_views.showcase_detail, name="showcase_detail"),
    path("coverage/", coverage_views.coverage, name="coverage"),
    path("coverage/missing/", coverage_views.missing, name="coverage_missing"),
    # A brand's life after approval (品牌活动, 三亮, 结对帮扶, 媒体发表).
    path("<int:pk>/life/", lifecycle_views.overview, name="lifecycle"),
    path("<int:pk>/life/activities/", lifecycle_views.add_activity, name="add_activity"),
    path("<int:pk>/life/shine/", lifecycle_views.add_shine_record, name="add_shine_record"),
    path("<int:pk>/life/pairings/", lifecycle_views.add_pairing, name="add_pairing"),
    path("<int:pk>/life/publications/", lifecycle_views.add_publication, name="add_publication"),
    path("activities/<int:pk>/delete/", lifecycle_views.delete_activity, name="delete_activity"),
    path("activity-photos/<int:pk>/", lifecycle_views.activity_photo, name="activity_photo"),
    path(
        "activity-photos/<int:pk>/thumb/",
        lifecycle_views.activity_photo,
        {"size": "thumb"},
        name="activity_photo_thumb",
    ),
    path("shine/<int:pk>/delete/", lifecycle_views.delete_shine_record, name="delete_shine_record"),
    path("pairings/<int:pk>/delete/", lifecycle_views.delete_pairing, name="delete_pairing"),
    path("pairings/<int:pk>/notes/", cluster_views.add_note, name="add_pairing_note"),
    path("pairing-notes/<int:pk>/delete/", cluster_views.delete_note, name="delete_pairing_note"),
    # 1+N brand clusters: the "1" brand gathers approved brands of its subtree.
    path("<int:pk>/cluster/", cluster_views.gather, name="gather_cluster"),
    path("cluster-members/<int:pk>/delete/", cluster_views.release, name="release_cluster"),
    path(
        "publications/<int:pk>/delete/",
        lifecycle_views.delete_publication,
        name="delete_publication",
    ),
]
