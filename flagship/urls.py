from django.urls import path

from .views import candidacies, cycles, decision, notice, review

app_name = "flagship"

urlpatterns = [
    path("", cycles.index, name="index"),
    path("cycles/new/", cycles.create, name="cycle_create"),
    path("cycles/<int:pk>/", cycles.detail, name="cycle"),
    path("cycles/<int:pk>/edit/", cycles.edit, name="cycle_edit"),
    path("cycles/<int:pk>/advance/<slug:action>/", cycles.advance, name="advance"),
    path("cycles/<int:pk>/committee/", cycles.committee, name="committee"),
    path("cycles/<int:pk>/criteria/", cycles.criteria, name="criteria"),
    # candidacies (创建申报)
    path("cycles/<int:cycle_pk>/apply/<int:unit_pk>/", candidacies.apply, name="apply"),
    path("cycles/<int:cycle_pk>/candidacies/", candidacies.candidacy_list, name="candidacies"),
    path("cycles/<int:cycle_pk>/queue/", candidacies.queue, name="queue"),
    path("candidacies/<int:pk>/", candidacies.detail, name="candidacy"),
    path("candidacies/<int:pk>/edit/", candidacies.edit, name="edit"),
    path("candidacy-revisions/<int:pk>/", candidacies.revision, name="revision"),
    path("candidacies/<int:pk>/act/<slug:action>/", candidacies.act, name="act"),
    path("candidacies/<int:pk>/attachments/", candidacies.upload_attachment, name="upload"),
    path("candidacies/<int:pk>/plan/", candidacies.file_plan, name="plan"),
    path("candidacies/<int:pk>/summary/", candidacies.upload_summary, name="summary"),
    path("attachments/<int:pk>/", candidacies.download_attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", candidacies.delete_attachment, name="delete_attachment"),
    # public notice (公示) and objections
    path("cycles/<int:pk>/notice/", notice.notice, name="notice"),
    path("candidacies/<int:pk>/object/", notice.object_to, name="object"),
    path("cycles/<int:pk>/objections/", notice.objections, name="objections"),
    path("objections/<int:pk>/handle/", notice.handle, name="handle_objection"),
    # committee review (评审)
    path("cycles/<int:pk>/board/", review.board, name="board"),
    path("candidacies/<int:pk>/review/", review.review, name="review"),
    path("candidacies/<int:pk>/score/", review.score, name="score"),
    path("candidacies/<int:pk>/site-visits/", review.site_visit, name="site_visit"),
    path("candidacies/<int:pk>/veto-check/", review.veto_check, name="veto_check"),
    path("visit-photos/<int:pk>/", review.visit_photo, name="visit_photo"),
    path("visit-photos/<int:pk>/thumb/", review.visit_photo, {"size": "thumb"}, name="visit_thumb"),
    # decision, public vote (公开投票), awards
    path("cycles/<int:pk>/decide/", decision.decide, name="decide"),
    path("cycles/<int:pk>/vote/", decision.vote, name="vote"),
    path("cycles/<int:pk>/bases/", decision.bases, name="bases"),
    path("cycles/<int:pk>/awards/", decision.awards, name="awards"),
    path("honours/", decision.honours, name="honours"),
    path("honours/<int:pk>/", decision.honour, name="honour"),
    path("honours/<int:pk>/certificate/", decision.certificate, name="certificate"),
    path("obligations/<int:pk>/fulfil/", decision.fulfil, name="fulfil"),
]
