"""How fast, and how correctly, an ODS is read by each ODS reader, and written by the export.

    .venv/bin/python benchmarks/ods.py [--sizes 10000] [--source FILE]

For each size it writes the rows benchmarks/import.py imports (German CSV: semicolons, decimal
commas), has LibreOffice turn them into an ODS and an XLSX (`soffice --headless`, German locale,
so numbers become number cells and equal neighbours repeated cells, as Calc saves them), and reads
the ODS with each reader that is installed, each in a fresh process, printing the seconds, the
process's peak memory (RSS; Django and the project take about 70 MB of it before reading) and
whether it gave back every row and cell of the CSV:

- calamine:  python-calamine, which `reading.open_ods` uses (through `open_table`, as the import);
- pyexcel:   pyexcel-ods3 (`pip install pyexcel-ods3` to measure it);
- tablib:    tablib's ODS format, on odfpy (`pip install "tablib[ods]"` to measure it);
- openpyxl:  the XLSX of the same rows through `open_table`, for comparison.

It then writes the rows as the export does (`export.ods_bytes`) and, if odfpy is installed,
with odfpy, printing the seconds of each.

Measured 2026-12-01 (LibreOffice 7.4.7.2, python-calamine 0.9.1, pyexcel-ods3 0.6.1, tablib
3.10.0 with odfpy 1.4.1, openpyxl 3.1.5):

    10,000 rows (200,978 bytes of ODS)
      read   calamine             0.06 s      85 MB  every row right
      read   pyexcel              1.31 s     150 MB  every row right
      read   tablib               4.75 s     250 MB  10000 wrong
      read   openpyxl             0.85 s      79 MB  every row right
      write  export.ods_bytes    0.29 s
      write  odfpy               5.36 s
    100,000 rows (1,931,850 bytes of ODS)
      read   calamine             0.95 s     223 MB  every row right
      read   pyexcel             21.51 s     876 MB  every row right
      read   tablib              66.80 s    1888 MB  100000 wrong
      read   openpyxl             6.87 s     210 MB  every row right
      write  export.ods_bytes    2.18 s
      write  odfpy              71.81 s

tablib gets every row wrong because it drops a repeated cell (LibreOffice writes the equal
name_de and name_en as one cell repeated twice), so the columns after it shift.
"""

import argparse
import csv
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = ["calamine", "pyexcel", "tablib", "openpyxl"]


def load_import_benchmark():
    spec = importlib.util.spec_from_file_location("import_benchmark", ROOT / "benchmarks/import.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def same(written, value):
    """Whether a cell read holds what the CSV wrote: 40,7022 is 40.7022, 1950 is 1950.0."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return float(written.replace(",", ".")) == value
        except ValueError:
            return False
    return written == ("" if value is None else str(value))


def read(reader, path):
    """The rows (header included) as lists of values, the way `reader` gives them."""
    if reader in ("calamine", "openpyxl"):
        from partnerships.transfer.reading import open_table

        with open(path, "rb") as source:
            table = open_table(source)
            return [table.headers, *(values for _line, values in table.rows)]
    if reader == "pyexcel":
        from pyexcel_ods3 import get_data

        return next(iter(get_data(str(path)).values()))
    import tablib

    with open(path, "rb") as source:
        dataset = tablib.Dataset().load(source, format="ods")
    return [dataset.headers, *dataset]


def measure(reader, path, csv_path):
    """In this (fresh) process: read, time, compare with the CSV; print one JSON line."""
    load_import_benchmark().setup_django()
    try:
        if reader == "pyexcel":
            import pyexcel_ods3  # noqa: F401
        elif reader == "tablib":
            import odf  # noqa: F401
    except ImportError:
        print(json.dumps({"reader": reader, "missing": True}))
        return
    start = time.perf_counter()
    rows = read(reader, path)
    seconds = time.perf_counter() - start
    with open(csv_path, encoding="utf-8", newline="") as source:
        expected = list(csv.reader(source, delimiter=";"))
    wrong = abs(len(expected) - len(rows))
    for written, row in zip(expected, rows, strict=False):
        cells = zip(written, row, strict=False)
        wrong += len(written) != len(row) or not all(same(w, v) for w, v in cells)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"reader": reader, "seconds": seconds, "rss": peak, "wrong": wrong}))


def convert(csv_path, target, folder):
    # CSV filter: semicolon (59), double quote (34), UTF-8 (76), from line 1, German (1031).
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--infilter=CSV:59,34,76,1,,1031",
            "--convert-to",
            target,
            "--outdir",
            str(folder),
            str(csv_path),
        ],
        check=True,
        capture_output=True,
    )


def measure_writing(rows):
    from partnerships.transfer.export import ods_bytes

    start = time.perf_counter()
    ods_bytes(rows[0], rows[1:])
    print(f"  write  export.ods_bytes  {time.perf_counter() - start:6.2f} s")
    try:
        from odf.opendocument import OpenDocumentSpreadsheet
        from odf.table import Table, TableCell, TableRow
        from odf.text import P
    except ImportError:
        print("  write  odfpy             not installed")
        return
    import io

    start = time.perf_counter()
    document = OpenDocumentSpreadsheet()
    sheet = Table(name="partnerships")
    document.spreadsheet.addElement(sheet)
    for row in rows:
        element = TableRow()
        sheet.addElement(element)
        for value in row:
            table_cell = TableCell(valuetype="string")
            table_cell.addElement(P(text=value))
            element.addElement(table_cell)
    document.save(io.BytesIO())
    print(f"  write  odfpy             {time.perf_counter() - start:6.2f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--source", type=Path)
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    bench = load_import_benchmark()
    bench.setup_django()
    partners, _skipped = bench.source_partners(args.source or bench.DEFAULT_SOURCE)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for size in (int(s) for s in args.sizes.split(",")):
            csv_path = folder / f"rows{size}.csv"
            bench.write_rows(csv_path, partners, size)
            convert(csv_path, "ods", folder)
            convert(csv_path, "xlsx:Calc MS Excel 2007 XML", folder)
            print(f"{size:,} rows ({(folder / f'rows{size}.ods').stat().st_size:,} bytes of ODS)")
            for reader in READERS:
                path = folder / f"rows{size}.{'xlsx' if reader == 'openpyxl' else 'ods'}"
                output = subprocess.run(
                    [sys.executable, __file__, "--measure", reader, str(path), str(csv_path)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                result = json.loads(output.strip().splitlines()[-1])
                if result.get("missing"):
                    print(f"  read   {reader:<18} not installed")
                    continue
                verdict = "every row right" if not result["wrong"] else f"{result['wrong']} wrong"
                print(
                    f"  read   {reader:<18} {result['seconds']:6.2f} s  "
                    f"{result['rss']:6.0f} MB  {verdict}"
                )
            with open(csv_path, encoding="utf-8", newline="") as source:
                measure_writing(list(csv.reader(source, delimiter=";")))


if __name__ == "__main__":
    main()
