from django import template

from partnerships import history

register = template.Library()


@register.filter
def change_message(comment):
    """A version's comment in the reader's language (history.describe_change)."""
    return history.describe_change(comment)
