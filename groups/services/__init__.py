from .assessment import AssessmentError, reopen, save_scores, start_quarter, submit_scores
from .brand import remove_group_brand_photo, save_group_brand
from .brand_groups import NominationError, decide, nominable_years, propose
from .innovation import InnovationError, decide_item, file_item, may_file_for, recommend_item
from .members import (
    MemberAssessmentError,
    include_new_members,
    open_period,
    publish_period,
    save_self_assessment,
    score_member,
    set_coefficient,
    set_coefficients,
    withdraw_publication,
)
from .posts import PostError, name_post, record_spot_check, review_post

__all__ = [
    "MemberAssessmentError",
    "include_new_members",
    "open_period",
    "publish_period",
    "save_self_assessment",
    "score_member",
    "set_coefficient",
    "set_coefficients",
    "withdraw_publication",
    "NominationError",
    "decide",
    "nominable_years",
    "propose",
    "AssessmentError",
    "reopen",
    "save_scores",
    "start_quarter",
    "submit_scores",
    "remove_group_brand_photo",
    "save_group_brand",
    "InnovationError",
    "PostError",
    "decide_item",
    "file_item",
    "may_file_for",
    "name_post",
    "recommend_item",
    "record_spot_check",
    "review_post",
]
