import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from partnerships.translating.fields import target_languages
from partnerships.translating.status import STATES
from partnerships.translating.xliff import export


class Command(BaseCommand):
    help = _(
        "Write the texts of one language as an XLIFF 1.2 file for translators: the German "
        "source, the translation there is, which object and field, the length limit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language", required=True, help=_("the target language, e.g. en or he")
        )
        parser.add_argument(
            "--only",
            default="",
            help=_("only these texts, comma-separated: missing, outdated (default: every text)"),
        )
        parser.add_argument("--output", help=_("the file to write (default: standard output)"))

    def handle(self, *args, language, only, output, **options):
        if language not in target_languages():
            raise CommandError(
                _("“%(language)s” is not a language to translate into; choose one of: %(all)s.")
                % {"language": language, "all": ", ".join(target_languages())}
            )
        states = {state.strip() for state in only.split(",") if state.strip()}
        if states - set(STATES):
            raise CommandError(
                _("--only takes missing and/or outdated, not “%(value)s”.") % {"value": only}
            )
        data = export(language, states or None)
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(file)s: %(error)s")
                    % {"file": output, "error": error.strerror}
                ) from None
            self.stderr.write(_("Written: %(file)s") % {"file": output})
        else:
            sys.stdout.buffer.write(data)
