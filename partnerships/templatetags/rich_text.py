"""How editor-written texts (descriptions, page texts) become HTML on the public pages."""

from django import template
from django.template.defaultfilters import linebreaks_filter

register = template.Library()


@register.filter(is_safe=True, needs_autoescape=True)
def rich_text(value, autoescape=True):
    """Paragraphs from blank lines; any markup in the text is shown as text, never run."""
    return linebreaks_filter(value, autoescape=autoescape)
