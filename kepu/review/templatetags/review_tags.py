from django import template

from kepu.review.services import review_badge as _review_badge

register = template.Library()


@register.inclusion_tag("review/badge.html")
def review_badge(obj):
    """The 审核 badge: who checked this for scientific accuracy, and when."""
    return {"badge": _review_badge(obj)}
