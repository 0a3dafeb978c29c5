from django.core.management.base import BaseCommand

from partnerships import images
from partnerships.models import ContentChange


class Command(BaseCommand):
    help = (
        "Make the renditions of every stored image again: after changing the rendition widths "
        "or qualities, after restoring the media folder from a backup, or for images whose "
        "background task failed."
    )

    def handle(self, *args, **options):
        made = failed = 0
        for model, field_name in images.TRACKED:
            field = model._meta.get_field(field_name)
            for instance in model._base_manager.exclude(**{field_name: ""}).iterator():
                fieldfile = getattr(instance, field_name)
                try:
                    made += len(
                        images.make_renditions(fieldfile, getattr(instance, field.width_field))
                    )
                except Exception as error:  # a missing or damaged file: report, go on
                    failed += 1
                    self.stderr.write(f"{fieldfile.name}: {error}")
                    continue
                if field.renditions_field:
                    model._base_manager.filter(
                        pk=instance.pk, **{field_name: fieldfile.name}
                    ).update(**{field.renditions_field: True})
        if made:
            ContentChange.touch()  # the pages now send renditions
        self.stdout.write(f"Renditions made: {made}; images that failed: {failed}.")
        if failed:
            raise SystemExit(1)
