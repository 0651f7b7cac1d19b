from . import assessment, members
from .innovation import area_overview as innovation_overview
from .innovation import counts_by_group, items_of, my_items
from .posts import area_overview, my_posts, post_for_page, posts_of

__all__ = [
    "assessment",
    "members",
    "area_overview",
    "counts_by_group",
    "innovation_overview",
    "items_of",
    "my_items",
    "my_posts",
    "post_for_page",
    "posts_of",
]
