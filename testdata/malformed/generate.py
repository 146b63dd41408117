#!/usr/bin/env python3
"""Writes the hostile-input cases of testdata/malformed/ from testdata/cases/05-duplicate-keys.

Each case is a folder: in/ (the inputs), args (options for `usbexfil run in ...`, optional),
case.md (what it is). expected.jsonl, expected.status and expected.stderr are written by hand
(checked against a run, then reviewed): tests/cli/malformed_test.cpp compares them.

    python3 testdata/malformed/generate.py
"""
import gzip
import io
import os
import shutil
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "..", "cases", "05-duplicate-keys")
TABLES = ["SecurityAlert", "CloudAppEvents", "DeviceFileEvents", "DeviceEvents"]


def table(name):
    with open(os.path.join(BASE, name + ".jsonl"), "rb") as f:
        return f.read()


def case(name, about, files, args=None, links=None):
    """files: {relative path: bytes}; links: {relative path: target}."""
    folder = os.path.join(HERE, name)
    shutil.rmtree(os.path.join(folder, "in"), ignore_errors=True)
    os.makedirs(os.path.join(folder, "in"), exist_ok=True)
    for path, data in files.items():
        full = os.path.join(folder, "in", path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
    for path, target in (links or {}).items():
        os.symlink(target, os.path.join(folder, "in", path))
    with open(os.path.join(folder, "case.md"), "w") as f:
        f.write(about.strip() + "\n")
    args_path = os.path.join(folder, "args")
    if args:
        with open(args_path, "w") as f:
            f.write(args + "\n")
    elif os.path.exists(args_path):
        os.remove(args_path)


def all_tables(**replace):
    return {t + ".jsonl": replace.get(t, table(t)) for t in TABLES if replace.get(t, b"") is not None}


def deterministic_gzip(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as f:
        f.write(data)
    return out.getvalue()


def zip_of(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 11, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()


alerts = table("SecurityAlert")
lines = alerts.splitlines(keepends=True)

case("nul-block", """
A block of NUL bytes where a crash cut a preallocated file, between two alerts. With
--validate-all every line is parsed, so the block is reported (`file:line`) and the run goes on.
""", all_tables(SecurityAlert=lines[0] + b"\0" * 4096 + b"\n" + b"".join(lines[1:])),
     args="--validate-all")

case("garbage-lines", """
1000 lines of garbage after the downloads: reported under --validate-all, capped at 20 messages
and a count of the rest; the finding stays.
""", all_tables(CloudAppEvents=table("CloudAppEvents") + b"".join(
    b"garbage %d {not json\n" % i for i in range(1000))), args="--validate-all")

case("truncated-last-line", """
The alerts file ends in the middle of a line (a copy cut short). The cut line is reported as not
valid JSON; the other alerts are read and the finding stays.
""", all_tables(SecurityAlert=alerts + lines[1][:57]))

case("truncated-last-line-strict", """
The same cut file under --strict: exit 2 naming the file and line, and no findings.
""", all_tables(SecurityAlert=alerts + lines[1][:57]), args="--strict")

case("integers-beyond-64-bits", """
Every row carries "ReportId":123456789012345678901234567890 (valid JSON; RFC 8259 sets no limit):
the rows are read (the integer as a double, with a warning), the finding stays.
""", {t + ".jsonl": b"".join(b'{"ReportId":123456789012345678901234567890,' + l[1:]
                            for l in table(t).splitlines(keepends=True)) for t in TABLES})

case("crlf-and-bom", """
CRLF line ends and a UTF-8 byte-order mark in every file (Windows tools): no warning, the same
finding.
""", {t + ".jsonl": b"\xef\xbb\xbf" + table(t).replace(b"\n", b"\r\n") for t in TABLES})

case("dangling-symlink", """
A symbolic link named like a table file that points nowhere: an error naming it (exit 2), never
a table silently empty.
""", all_tables(DeviceEvents=None), links={"DeviceEvents.jsonl": "gone/DeviceEvents.jsonl"})

case("symlink-loop", """
A symbolic link that points at itself, named like a table file: an error naming it (exit 2).
""", all_tables(), links={"SecurityAlert-more.jsonl": "SecurityAlert-more.jsonl"})

gz = deterministic_gzip(table("DeviceFileEvents"))
case("truncated-gzip", """
The copies' gzip file lost its last 4 bytes (the length in its trailer): the text is read, the
damage is one data error naming the file, the finding stays.
""", {**all_tables(DeviceFileEvents=None), "DeviceFileEvents.jsonl.gz": gz[:-4]})

case("gzip-trailing-garbage", """
Bytes after the gzip member's end (an append gone wrong): one data error naming the file; the
rows decoded are kept.
""", {**all_tables(DeviceFileEvents=None), "DeviceFileEvents.jsonl.gz": gz + b"garbage"})

case("nested-archive", """
A zip holding the four tables and a zip in a zip: the tables are read, the nested archive is one
data error naming it.
""", {"export.zip": zip_of({**{t + ".jsonl": table(t) for t in TABLES},
                            "old/export.zip": zip_of({"SecurityAlert.jsonl": alerts})})})

case("zip-slip-names", """
Members named ../../SecurityAlert.jsonl and /abs/DeviceEvents.jsonl: nothing is extracted, the
names are read as paths inside the archive, and the tables are read by their names.
""", {"export.zip": zip_of({"../../" + t + ".jsonl" if i % 2 == 0 else "/abs/" + t + ".jsonl": table(t)
                            for i, t in enumerate(TABLES)})})

case("utf16-odd-byte", """
The mounts exported as UTF-16 (with its mark) and one byte short: the text before the fault is
read, the odd byte is one data error naming the file.
""", {**all_tables(DeviceEvents=None),
      "DeviceEvents.jsonl": b"\xff\xfe" + table("DeviceEvents").decode().encode("utf-16-le")[:-1]})

case("decompression-bomb", """
A 20 kB gzip of one 20 MB line of 'a' (a bomb, or a dump with no line ends) with
--max-record-size 1M: one data error, memory bounded by the limit, the finding stays.
""", {**all_tables(), "SecurityAlert-bomb.jsonl.gz": deterministic_gzip(b"a" * (20 << 20))},
     args="--max-record-size 1M")

case("file-with-no-table", """
A notes file in the export folder: a warning that names it and says how to place it; exit 0.
""", {**all_tables(), "notes.txt": b"exported by hand, see ticket 4711\n"})

case("file-with-no-table-strict", """
The same folder under --strict: the file that cannot be read is an error (exit 2).
""", {**all_tables(), "notes.txt": b"exported by hand, see ticket 4711\n"}, args="--strict")

case("seven-zip", """
A 7z archive (not read): one data error naming it; the other tables are read.
""", {**all_tables(), "DeviceEvents-old.7z": b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\0" * 24})

case("empty-table-strict", """
An empty DeviceEvents file under --strict: a table whose input holds no rows is an error.
""", all_tables(DeviceEvents=b""), args="--strict")

case("invalid-utf8", """
An alert line with a byte that is not UTF-8 (Latin-1 é): not valid JSON, reported with its line,
skipped; the finding comes from the other alerts.
""", all_tables(SecurityAlert=alerts + b'{"AlertName":"R\xe9sum\xe9","TimeGenerated":"2026-03-10T09:00:00Z"}\n'))

# Damage in lines the rule needs nothing from, without --validate-all: the pre-filter passes such
# lines over unparsed, but it checks each one's shape ({...} or [...], no NUL or other control byte below tab), so a damaged
# line is parsed and reported all the same.
copies = table("DeviceFileEvents").splitlines(keepends=True)
case("nul-block-unneeded", """
A block of NUL bytes in the copies file (a preallocated file cut by a crash), without
--validate-all: the pre-filter would pass the block over (it holds nothing the rule needs), but a
line holding a NUL byte cannot be a record, so it is parsed and reported with `file:line`; the
finding stays.
""", all_tables(DeviceFileEvents=b"".join(copies[:2]) + b"\0" * 8192 + b"\n" + b"".join(copies[2:])))

mounts = table("DeviceEvents")
case("garbage-lines-unneeded", """
1000 lines of garbage after the mounts, without --validate-all: none holds anything the rule
needs, but none has the shape of a record, so each is parsed and reported (capped at 20 messages
and a count of the rest); the finding stays.
""", all_tables(DeviceEvents=mounts + b"".join(b"garbage %d {not json\n" % i for i in range(1000))))

downloads = table("CloudAppEvents").splitlines(keepends=True)
case("truncated-line-unneeded", """
A downloads line cut short in the middle of the file (two copies spliced), without
--validate-all: the line does not end in `}`, so the pre-filter hands it to the parser, which
reports it; the lines after it are read and the finding stays.
""", all_tables(CloudAppEvents=downloads[0] + b'{"TimeGenerated":"2026-03-10T08:00:00Z","ActionType":"FileUpl\n'
                + b"".join(downloads[1:])))

case("nul-in-unneeded-line", """
One NUL byte inside a well-shaped line the rule needs nothing from (ActionType DeviceInfo),
without --validate-all: a NUL byte is never part of a JSON text, so the line is parsed and
reported; the finding stays.
""", all_tables(DeviceEvents=mounts + b'{"TimeGenerated":"2026-03-10T10:30:00Z","ActionType":"DeviceInfo","DeviceName":"ws\0-0142"}\n'))
