"""How fast the partnerships import is, against django-import-export at its default and at its
best, and against a raw floor.

    .venv/bin/python benchmarks/import.py [--sizes 1000,10000,100000] [--source FILE]
        [--variants command,command-ods,command-xlsx,baseline,bulk-baseline,floor]
        [--spreadsheets-up-to 10000]

For each size it writes a file of that many relationship rows in this project's format and
imports it these ways, each in a fresh process and a fresh SQLite database (a copy of one
migrated template), printing rows per second and the process's peak memory (RSS):

- command:       this project's import (`import_partnerships`: read, check, chunked bulk writes);
- command-ods, command-xlsx: the same command on the same rows as LibreOffice saves them as ODS
                 and as XLSX (`soffice --headless` converts the CSV, read in German, so that
                 numbers are number cells): reading the spreadsheet (python-calamine, openpyxl,
                 and the check of its sheet's XML) and the full import, up to
                 --spreadsheets-up-to rows (LibreOffice takes a while to write 100,000);
- baseline:      django-import-export's default row-by-row import of the same rows (a Partner
                 resource and a Relationship resource, `instance.save()` per row, the way most
                 projects ship it);
- bulk-baseline: the same two resources in the library's bulk mode, tuned as its "Bulk imports"
                 page advises: `use_bulk = True`, `skip_diff = True` and `batch_size = 1000`
                 (its default; the page found `None` slower and heavier), so that the speed
                 claim stands against the library at its best, not only at its default;
- floor:         a raw `bulk_create` of the same Partner and Relationship objects, no checks;
- admin-background: the admin's way, end to end (benchmarks/admin_background.py): the upload
                 through the admin, the check by a real `db_worker` process, the preview,
                 confirm, the write, polled as the page's script polls; at 100,000 rows only
                 unless --admin-background-sizes says otherwise. It prints the check's and the
                 write's time apart (the command does both in one pass).

The summary gives the command's speed against both baselines and its time against the floor,
then the command's speed on ODS and XLSX against its own speed on the CSV and against both
baselines (which read the CSV), all measured in the same run.

The rows come from ../shared/data/twin_cities/twin_cities_hekman.csv (real twin-city pairs from
Wikipedia, CC BY-SA / ODbL: test input only, never shipped as content): every distinct city in
it becomes a partner with up to five relationships, one per relationship kind; beyond its
17,717 cities the script numbers further copies ("Berat 2") to reach the size asked for.
"""

import argparse
import csv
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "twin_cities" / "twin_cities_hekman.csv"
KINDS = [
    "twin_city",
    "domestic_partnership",
    "city_friendship",
    "business_partnership",
    "agenda21_partnership",
]
# django-import-export's default batch size, which its "Bulk imports" page advises keeping.
BULK_BATCH_SIZE = 1000
HEADER = ["name_de", "name_en", "country", "latitude", "longitude", "relationship", "since"]
UK_NATIONS = {"england", "scotland", "wales", "northern ireland"}


def setup_django(database_path=None):
    if database_path:
        os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def country_code(name, table):
    """The source's English country names ("England", "Réunion, France") to ISO codes."""
    name = name.strip()
    if name.lower() in UK_NATIONS:
        return "GB"
    for candidate in (name, name.split(",")[-1], name.split("(")[0]):
        code = table.get(candidate.strip().lower())
        if code:
            return code
    return None


def source_partners(source):
    from django.utils import translation
    from django_countries import countries

    with translation.override("en"):
        table = {str(name).lower(): code for code, name in countries}
    table.update({"united states": "US", "russia": "RU", "south korea": "KR", "iran": "IR"})
    partners, skipped = {}, 0
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for side in ("1", "2"):
                code = country_code(row[f"country{side}"], table)
                city = row[f"city{side}"].strip()
                if not code or not city:
                    skipped += 1
                    continue
                partners.setdefault(
                    (city.casefold(), code), (city, code, row[f"lat{side}"], row[f"lng{side}"])
                )
    return list(partners.values()), skipped


def write_rows(path, partners, size):
    """`size` relationship rows: partner i // 5, kind i % 5, German decimal commas."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for index in range(size):
            number, position = divmod(index // len(KINDS), len(partners))
            city, code, lat, lng = partners[position]
            name = city if number == 0 else f"{city} {number + 1}"
            writer.writerow(
                [
                    name,
                    name,
                    code,
                    lat.replace(".", ","),
                    lng.replace(".", ","),
                    KINDS[index % len(KINDS)],
                    str(1950 + index % 70),
                ]
            )


def peak_rss_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def partner_slug(row, slugs, slugify):
    """One slug per partner as the importer tells partners apart (name and country)."""
    key = (" ".join(row["name_en"].casefold().split()), row["country"])
    if key not in slugs:
        slugs[key] = f"{slugify(row['name_en'])[:80]}-{len(slugs)}"
    return slugs[key]


# --- the four variants, each run in a child process ---


def run_command(path):
    from django.core.management import call_command

    call_command("import_partnerships", str(path), verbosity=0)


def run_baseline(path, bulk=False):
    """django-import-export's import; with `bulk`, in its bulk mode (bulk_create per batch of
    1000 rows, no per-row diff), everything else as in the default."""
    import tablib
    from import_export import fields, resources, widgets

    from partnerships.models import Partner, Relationship, RelationshipKind

    class PartnerResource(resources.ModelResource):
        class Meta:
            model = Partner
            fields = ("slug", "name_de", "name_en", "country", "latitude", "longitude")
            import_id_fields = ("slug",)
            use_bulk = skip_diff = bulk
            batch_size = BULK_BATCH_SIZE

    class RelationshipResource(resources.ModelResource):
        partner = fields.Field("partner", "partner", widgets.ForeignKeyWidget(Partner, "slug"))
        kind = fields.Field("kind", "kind", widgets.ForeignKeyWidget(RelationshipKind, "code"))

        class Meta:
            model = Relationship
            fields = ("partner", "kind", "since")
            import_id_fields = ("partner", "kind")
            use_bulk = skip_diff = bulk
            batch_size = BULK_BATCH_SIZE

    from django.utils.text import slugify

    partners = tablib.Dataset(
        headers=["slug", "name_de", "name_en", "country", "latitude", "longitude"]
    )
    relationships = tablib.Dataset(headers=["partner", "kind", "since"])
    seen, slugs = set(), {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            slug = partner_slug(row, slugs, slugify)
            if slug not in seen:
                seen.add(slug)
                partners.append(
                    [
                        slug,
                        row["name_de"],
                        row["name_en"],
                        row["country"],
                        row["latitude"].replace(",", "."),
                        row["longitude"].replace(",", "."),
                    ]
                )
            relationships.append([slug, row["relationship"], row["since"]])
    for resource, dataset in (
        (PartnerResource(), partners),
        (RelationshipResource(), relationships),
    ):
        result = resource.import_data(dataset, dry_run=False, raise_errors=True)
        assert not result.has_validation_errors(), result.invalid_rows[:3]


def run_floor(path):
    from decimal import Decimal

    from django.db import transaction
    from django.utils.text import slugify

    from partnerships.models import Partner, Relationship, RelationshipKind

    kinds = dict(RelationshipKind.objects.values_list("code", "pk"))
    partners, relationships, slugs = {}, [], {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            slug = partner_slug(row, slugs, slugify)
            partner = partners.get(slug)
            if partner is None:
                partner = partners[slug] = Partner(
                    slug=slug,
                    name_de=row["name_de"],
                    name_en=row["name_en"],
                    country=row["country"],
                    latitude=Decimal(row["latitude"].replace(",", ".")).quantize(Decimal("1e-5")),
                    longitude=Decimal(row["longitude"].replace(",", ".")).quantize(Decimal("1e-5")),
                )
            relationships.append((partner, kinds[row["relationship"]], row["since"]))
    with transaction.atomic():
        Partner.objects.bulk_create(partners.values(), batch_size=1000)
        Relationship.objects.bulk_create(
            [Relationship(partner=p, kind_id=k, since=s) for p, k, s in relationships],
            batch_size=1000,
        )


SPREADSHEET_VARIANTS = {"command-ods": "ods", "command-xlsx": "xlsx"}


def run_admin_background(path):
    from admin_background import run_admin_background as run

    return run(path)


# Only at this size by default: the admin's own path, as an editor meets it (see below).
ADMIN_BACKGROUND_SIZE = 100_000
VARIANTS = {
    "admin-background": run_admin_background,
    "command": run_command,
    "command-ods": run_command,
    "command-xlsx": run_command,
    "baseline": run_baseline,
    "bulk-baseline": functools.partial(run_baseline, bulk=True),
    "floor": run_floor,
}


def to_spreadsheet(path, extension, directory):
    """The CSV as LibreOffice saves it as ODS or XLSX, read as German Calc reads it
    (semicolon, UTF-8, German: 52,2297 is a number), in a profile of its own."""
    target = {"ods": "ods", "xlsx": "xlsx:Calc MS Excel 2007 XML"}[extension]
    profile = Path(directory) / "libreoffice-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--infilter=CSV:59,34,76,1,,1031",
            "--convert-to",
            target,
            "--outdir",
            str(path.parent),
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return path.with_suffix(f".{extension}")


def child(variant, path, database):
    setup_django(database)
    from partnerships.models import Partner, Relationship

    before = peak_rss_mb()
    started = time.perf_counter()
    phases = VARIANTS[variant](path) or {}
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                **phases,
                "seconds": seconds,
                "rss_mb": peak_rss_mb(),
                "rss_before_mb": before,
                "partners": Partner.objects.count(),
                "relationships": Relationship.objects.count(),
            }
        )
    )


def template_database(directory):
    """Migrate once, with the relationship kinds; every run starts from a copy."""
    path = Path(directory) / "template.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    script = (
        "from partnerships.demo import content; from partnerships.models import RelationshipKind;"
        "[RelationshipKind.objects.create(**k) for k in content.KINDS]"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--source", default=str(DEFAULT_SOURCE))
    parser.add_argument(
        "--variants",
        default="command,command-ods,command-xlsx,baseline,bulk-baseline,floor,admin-background",
    )
    parser.add_argument(
        "--admin-background-sizes",
        default=str(ADMIN_BACKGROUND_SIZE),
        help="the sizes the admin-background variant runs at (it takes minutes at 100,000)",
    )
    parser.add_argument(
        "--spreadsheets-up-to",
        type=int,
        default=10_000,
        help="largest size the ODS and XLSX variants run at (LibreOffice writes the files)",
    )
    parser.add_argument(
        "--baseline-up-to",
        type=int,
        default=10_000,
        help="largest size the slow row-by-row baseline runs at (100,000 rows take ~15 min)",
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("VARIANT", "FILE", "DATABASE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    setup_django()
    partners, skipped = source_partners(args.source)
    print(
        f"Source: {len(partners):,} distinct cities ({skipped} sides without a known country "
        f"left out) from {Path(args.source).name}"
    )
    sizes = [int(size) for size in args.sizes.split(",")]
    variants = args.variants.split(",")
    spreadsheets = [variant for variant in variants if variant in SPREADSHEET_VARIANTS]
    if spreadsheets and not shutil.which("soffice"):
        print(f"{', '.join(spreadsheets)}: not run, LibreOffice (soffice) is not installed")
        variants = [variant for variant in variants if variant not in spreadsheets]
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        template = template_database(directory)
        for size in sizes:
            path = Path(directory) / f"rows-{size}.csv"
            write_rows(path, partners, size)
            for variant in variants:
                if variant == "baseline" and size > args.baseline_up_to:
                    print(
                        f"{size:>7,} rows  {'baseline':<13}  not run (--baseline-up-to "
                        f"{args.baseline_up_to}); see the 10,000-row rate",
                        flush=True,
                    )
                    continue
                source = path
                if variant == "admin-background" and str(size) not in (
                    args.admin_background_sizes.split(",")
                ):
                    continue
                if variant in SPREADSHEET_VARIANTS:
                    if size > args.spreadsheets_up_to:
                        continue
                    source = to_spreadsheet(path, SPREADSHEET_VARIANTS[variant], directory)
                database = Path(directory) / f"{variant}-{size}.sqlite3"
                shutil.copy(template, database)
                output = subprocess.run(
                    [sys.executable, __file__, "--child", variant, str(source), str(database)],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                result = json.loads(output.strip().splitlines()[-1])
                if result["relationships"] != size:
                    print(f"  {variant}: {result['relationships']:,} relationships, not {size:,}")
                results[(size, variant)] = result
                print(
                    f"{size:>7,} rows  {variant:<13}  {size / result['seconds']:>9,.0f} rows/s"
                    f"  {result['seconds']:>7.2f} s  peak RSS {result['rss_mb']:>6.0f} MB"
                    f" (before import {result['rss_before_mb']:.0f} MB)",
                    flush=True,
                )
                if "check_seconds" in result:
                    print(
                        f"{'':>7}       upload to preview (background check) "
                        f"{result['check_seconds']:.1f} s, {size / result['check_seconds']:,.0f}"
                        f" rows/s; confirm to done (background write) "
                        f"{result['write_seconds']:.1f} s, "
                        f"{size / result['write_seconds']:,.0f} rows/s"
                        + (
                            f"; the command alone: {results[(size, 'command')]['seconds']:.1f} s"
                            if (size, "command") in results
                            else ""
                        ),
                        flush=True,
                    )
                database.unlink()
    print()
    print(
        f"{'size':>7}   {'command rows/s':>14}   {'vs baseline':>11}   "
        f"{'bulk-baseline rows/s':>20}   {'vs bulk-baseline':>16}   {'time vs floor':>13}"
    )
    for size in sizes:
        ours = results.get((size, "command"))
        bulk = results.get((size, "bulk-baseline"))
        floor = results.get((size, "floor"))
        against_floor = f"{ours['seconds'] / floor['seconds']:.2f}x" if ours and floor else "-"
        print(
            f"{size:>7,}   {rate(size, ours):>14}   {speedup(results, sizes, size, 'baseline'):>11}"
            f"   {rate(size, bulk):>20}   {speedup(results, sizes, size, 'bulk-baseline'):>16}"
            f"   {against_floor:>13}"
        )
    print("vs baseline and vs bulk-baseline: how many times faster the command is.")
    measured = [
        (size, variant)
        for size in sizes
        for variant in SPREADSHEET_VARIANTS
        if (size, variant) in results
    ]
    if not measured:
        return
    print()
    print(
        f"{'size':>7}   {'file':<4}   {'command rows/s':>14}   {'vs CSV':>6}   "
        f"{'vs baseline':>11}   {'vs bulk-baseline':>16}"
    )
    for size, variant in measured:
        ours = results[(size, variant)]
        csv_run = results.get((size, "command"))
        against_csv = f"{csv_run['seconds'] / ours['seconds']:.2f}x" if csv_run else "-"
        print(
            f"{size:>7,}   {SPREADSHEET_VARIANTS[variant].upper():<4}   {rate(size, ours):>14}"
            f"   {against_csv:>6}"
            f"   {speedup(results, sizes, size, 'baseline', variant):>11}"
            f"   {speedup(results, sizes, size, 'bulk-baseline', variant):>16}"
        )
    print(
        "vs CSV: the speed on that file against the command's on the same rows as CSV (below 1: "
        "slower); vs baseline and vs bulk-baseline: how many times faster than the library "
        "reading the CSV."
    )


def rate(size, result):
    return f"{size / result['seconds']:,.0f}" if result else "-"


def speedup(results, sizes, size, baseline, variant="command"):
    """The command's speed (on the CSV, or on the ODS or XLSX of `variant`) as a multiple of a
    baseline's, at the same size.

    Where the baseline was not run at that size (the row-by-row one beyond --baseline-up-to),
    its best rate at a smaller size stands in: its rate only falls as the table grows, so the
    multiple is a lower bound.
    """
    ours = results.get((size, variant))
    if not ours:
        return "-"
    if theirs := results.get((size, baseline)):
        return f"{theirs['seconds'] / ours['seconds']:.1f}x"
    rates = [
        size_ / results[(size_, baseline)]["seconds"]
        for size_ in sizes
        if (size_, baseline) in results
    ]
    if not rates:
        return "-"
    return f">= {size / ours['seconds'] / max(rates):.1f}x"


if __name__ == "__main__":
    main()
