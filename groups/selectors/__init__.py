from .posts import area_overview, my_posts, post_for_page, posts_of

__all__ = ["area_overview", "my_posts", "post_for_page", "posts_of"]
