from .posts import PostError, name_post, record_spot_check, review_post

__all__ = ["PostError", "name_post", "record_spot_check", "review_post"]
