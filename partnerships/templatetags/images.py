"""`{% image_renditions %}`: the srcsets of an image, computed without a query or a file check."""

from django import template

from partnerships import images

register = template.Library()


@register.simple_tag
def image_renditions(image):
    """WebP and fallback srcsets, a src and the intrinsic size of an ImageField's file.

    Renditions are made in the background after the image is saved, and the row says when
    they exist (the stored image stands in until then); their names follow from the source's
    name and width, so a page with many images costs no more queries than a page with one.
    """
    if not image:
        return None
    field = image.field
    width = getattr(image.instance, field.width_field) if field.width_field else None
    height = getattr(image.instance, field.height_field) if field.height_field else None
    return images.renditions(image, width, height)
