#!/usr/bin/env python3
"""--format csv read back by Python's csv module must give the --format jsonl values.

Usage: csv_roundtrip_test.py USBEXFIL TESTDATA_DIR

For every golden case and the demo day, and for a copy of the demo day whose values start with
=, +, -, @, TAB and CR (formula injection), every record of the CSV is compared, column by
column, with the JSON line of the same finding: strings equal (with the one quote the CSV puts
in front of a value that starts a formula), datetimes equal, _Details and USB_Drive_MatchedFiles
parsed as JSON equal to the nested values.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

COLUMNS = ["Alert_TimeGenerated", "USB_TimeGenerated", "UserId", "AADUserId", "DeviceId",
           "DeviceName", "IPAddress", "CloudAppEvents_Details", "DeviceFileEvents_Details",
           "USB_Details", "USB_Drive_MatchedFiles", "InitiatingProcessFileName",
           "InitiatingProcessFolderPath", "HostName", "HostNameDomain", "AccountName",
           "AccountUPNSuffix"]
JSON_COLUMNS = {"CloudAppEvents_Details", "DeviceFileEvents_Details", "USB_Details",
                "USB_Drive_MatchedFiles"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def run(binary, paths, args, fmt):
    out = subprocess.run([binary, "run", *paths, "-q", *args, "--format", fmt],
                         check=True, capture_output=True).stdout
    return out


def compare(name, binary, paths, args):
    """Returns the findings compared and the cells neutralised; with --enrich in args, the 18th
    column, Enrichment, must parse to the jsonl line's Enrichment object."""
    raw = run(binary, paths, args, "csv")
    jsonl = run(binary, paths, args, "jsonl").decode("utf-8")
    enrich = "--enrich" in args
    columns = COLUMNS + ["Enrichment"] if enrich else COLUMNS
    assert b"\n" not in raw.replace(b"\r\n", b""), f"{name}: a bare LF ends a line"
    text = raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    expected = [json.loads(line) for line in jsonl.splitlines()]
    assert rows[0] == columns, f"{name}: header {rows[0]}"
    assert len(rows) - 1 == len(expected), f"{name}: {len(rows) - 1} records, {len(expected)} lines"
    neutralised = 0
    for record, finding in zip(rows[1:], expected):
        assert len(record) == len(columns), f"{name}: {len(record)} fields"
        assert list(finding.keys()) == columns, f"{name}: jsonl keys {list(finding.keys())}"
        for column, cell in zip(columns, record):
            value = finding[column]
            if column in JSON_COLUMNS or column == "Enrichment":
                assert json.loads(cell) == value, f"{name}: {column}: {cell!r} != {value!r}"
            elif isinstance(value, str) and value.startswith(FORMULA_START):
                assert cell == "'" + value, f"{name}: {column}: {cell!r} not neutralised"
                neutralised += 1
            else:
                assert cell == value, f"{name}: {column}: {cell!r} != {value!r}"
    return len(expected), neutralised


def hostile_demo(demo, target):
    """The demo day with values that start a formula, the same in every table."""
    # SecurityAlert's Entities are JSON text inside a JSON string: only characters that need no
    # escape there (=, +, -, @) go into values it holds; TAB and CR go into device-side columns.
    replacements = [
        ("megan.bowen@contoso.com", "-megan.bowen@contoso.com"),    # UserId, AccountName: -
        ("ws-fin-0142.corp.contoso.com", "\\rws-fin-0142.corp"),    # DeviceName, HostName: CR
        ("203.0.113.45", "+203.0.113.45"),                            # IPAddress: +
        ("lt-sales-0387.fabrikam.com", "@SUM(1+1)*cmd.fabrikam.com"),  # DeviceName, HostName: @
        ("c:\\\\windows\\\\system32\\\\robocopy.exe", "\\tc:\\\\robocopy.exe"),  # folder: TAB
        ("b1f4c2d7-3a5e-4c8b-9d21-7e6f5a4b3c29", "=cmd|' /C calc'!A0"),  # AADUserId: =
    ]
    os.makedirs(target)
    for name in ["SecurityAlert.jsonl", "CloudAppEvents.jsonl", "DeviceFileEvents.jsonl",
                 "DeviceEvents.jsonl"]:
        with open(os.path.join(demo, name), encoding="utf-8") as f:
            text = f.read()
        for old, new in replacements:
            text = text.replace(old, new)
        with open(os.path.join(target, name), "w", encoding="utf-8") as f:
            f.write(text)


def main():
    csv.field_size_limit(1 << 30)  # an Enrichment cell of 17-exact-counts is over 128 kB
    binary, testdata = sys.argv[1], sys.argv[2]
    cases = os.path.join(testdata, "cases")
    total = 0
    for case in sorted(os.listdir(cases)):
        folder = os.path.join(cases, case)
        args = []
        if os.path.exists(os.path.join(folder, "args")):
            with open(os.path.join(folder, "args")) as f:
                args = f.read().split()
        paths = [os.path.join(folder, n) for n in sorted(os.listdir(folder))
                 if n not in ("args", "case.md", "expected.jsonl")]
        n, _ = compare(case, binary, paths, args)
        total += n
        compare(case + " --enrich", binary, paths, args + ["--enrich"])
    n, _ = compare("demo", binary, [os.path.join(testdata, "demo")], [])
    total += n
    work = tempfile.mkdtemp(prefix="usbexfil-csv-")
    try:
        hostile_demo(os.path.join(testdata, "demo"), os.path.join(work, "day"))
        n, neutralised = compare("hostile demo", binary, [os.path.join(work, "day")], [])
        assert n == 2, f"hostile demo: {n} findings, expected 2"
        # UserId, AccountName; DeviceName, HostName x2; IPAddress; folder; AADUserId
        assert neutralised >= 9, f"hostile demo: only {neutralised} cells neutralised"
    finally:
        shutil.rmtree(work)
    assert total >= 50, f"only {total} findings compared"
    print(f"csv read back: {total} findings of the golden cases and demo, "
          f"{neutralised} neutralised cells of the hostile demo, all equal to jsonl")


if __name__ == "__main__":
    main()
