"""Write the import template as an editor fills it in and LibreOffice saves it:
`.venv/bin/python tests/samples/make_template_samples.py`.

It builds the German template (`partnerships/transfer/template.py`) in a scratch SQLite
database holding the demo's kinds of relationship, as the tests' `kinds` fixture does, fills in
two rows with openpyxl (which keeps the drop-downs and the hidden lists sheet), with values taken
from the drop-downs and number and date cells as Calc makes them when a person types, and has
LibreOffice save it in both formats. From the scratch folder that holds the filled
template_filled_libreoffice.xlsx, with OUT='--outdir tests/samples' and
FILE=template_filled_libreoffice.xlsx:

    soffice --headless --convert-to 'xlsx:Calc MS Excel 2007 XML' $OUT $FILE
    soffice --headless --convert-to ods $OUT $FILE

giving tests/samples/template_filled_libreoffice.xlsx and template_filled_libreoffice.ods, which
are committed (tests/test_import_template.py imports them). The script gives soffice a profile
of its own (`-env:UserInstallation=file:///…`), so that it never uses or changes yours. Debian:
`apt-get install libreoffice-calc-nogui`; made with LibreOffice 7.4.7.2. LibreOffice stamps
each file with the time it was made: running this again changes both files.
"""

import datetime
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
NAME = "template_filled_libreoffice"

# The two rows, by column code; the headers are the template's own (German) ones.
ROWS = [
    {
        "name_de": "Krakau",
        "name_en": "Kraków",
        "country": "Polen",
        "partner_kind": "Stadt",
        "latitude": 50.06143,
        "longitude": 19.93658,
        "population": 800653,
        "published": "ja",
        "relationship": "Städtefreundschaft",
        "status": "Aktiv",
        "since": 1991,
        "description_de": "Alte Königsstadt an der Weichsel.",
    },
    {
        "name_de": "Nizza",
        "name_en": "Nice",
        "country": "Frankreich",
        "partner_kind": "Stadt",
        "relationship": "Wirtschaftspartnerschaft",
        "status": "Ausgesetzt",
        "since": datetime.datetime(2004, 7, 22),
        "until": datetime.datetime(2020, 3, 1),
        "summary_de": "Zusammenarbeit der Häfen.",
    },
]


def setup_django(scratch):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'scratch.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from partnerships.demo import content
    from partnerships.models import RelationshipKind

    for data in content.KINDS:
        RelationshipKind.objects.create(**data)


def filled_template(path):
    from django.utils import translation
    from openpyxl import load_workbook

    from partnerships.transfer.columns import Headers, build_columns
    from partnerships.transfer.template import template_xlsx

    with translation.override("de"):
        path.write_bytes(template_xlsx())
    book = load_workbook(path)
    sheet = book.worksheets[0]
    headers = Headers(build_columns())
    codes = {headers.resolve(cell.value).column_name: cell.column for cell in sheet[1]}
    for number, row in enumerate(ROWS, start=2):
        for code, value in row.items():
            sheet.cell(row=number, column=codes[code], value=value)
            if isinstance(value, datetime.datetime):
                sheet.cell(row=number, column=codes[code]).number_format = "DD.MM.YYYY"
    book.save(path)


def soffice(source, target_format, folder, profile):
    command = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        target_format,
        "--outdir",
        str(folder),
        str(source),
    ]
    print(shlex.join(command))
    subprocess.run(command, check=True, capture_output=True)


def main():
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        setup_django(scratch)
        source = scratch / f"{NAME}.xlsx"
        filled_template(source)
        profile = scratch / "libreoffice-profile"  # never the user's own LibreOffice settings
        soffice(source, "xlsx:Calc MS Excel 2007 XML", HERE, profile)
        soffice(source, "ods", HERE, profile)


if __name__ == "__main__":
    main()
