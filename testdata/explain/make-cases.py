#!/usr/bin/env python3
"""Writes testdata/explain/<reason>/in/: one small day per verdict of docs/explain.md.

Every case is the same chain (an alert, downloads before it, copies to E: after it, E: mounted
after it) with one thing changed so that the chain ends at that reason. Run it from anywhere;
expected.txt beside each in/ is `usbexfil explain <reason>/in -q` with the times of the funnel
replaced by `- ms` (tests/explain/explain_test.cpp), checked by hand against docs/explain.md.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ACCOUNT = "a1b2c3d4-0000-4000-8000-000000000001"
IP = "203.0.113.10"
USER = "pat.doe@contoso.com"
DEVICE_ID = "d0000000000000000000000000000000000000d1"
DEVICE = "ws-01.corp.contoso.com"


def alert(entities):
    return {"TimeGenerated": "2026-03-10T09:00:00Z", "AlertName": "Mass download by a single user",
            "Status": "New", "Entities": json.dumps(entities)}


ENTITIES = [{"$id": "2", "AadUserId": ACCOUNT, "Type": "account"},
            {"$id": "3", "Address": IP, "Type": "ip"}]


def download(time, name, ip=IP):
    return {"TimeGenerated": time, "ActionType": "FileDownloaded",
            "Application": "Microsoft SharePoint Online", "AccountObjectId": ACCOUNT,
            "IPAddress": ip, "City": "Dublin", "CountryCode": "IE",
            "RawEventData": {"UserId": USER, "SourceFileName": name}}


def copy(time, path, upn=USER):
    return {"TimeGenerated": time, "ActionType": "FileCreated", "DeviceId": DEVICE_ID,
            "DeviceName": DEVICE, "FileName": path.rsplit("\\", 1)[-1], "FolderPath": path,
            "InitiatingProcessAccountUpn": upn,
            "InitiatingProcessFolderPath": "c:\\windows\\explorer.exe",
            "InitiatingProcessParentFileName": "userinit.exe"}


def mount(time, letter="E:"):
    return {"TimeGenerated": time, "ActionType": "UsbDriveMounted", "DeviceId": DEVICE_ID,
            "DeviceName": DEVICE,
            "AdditionalFields": {"DriveLetter": letter, "ProductName": "DataTraveler 3.0",
                                 "Volume": "KINGSTON"}}


OTHER_EVENT = {"TimeGenerated": "2026-03-10T09:30:00Z", "ActionType": "PnpDeviceConnected",
               "DeviceId": DEVICE_ID, "DeviceName": DEVICE, "AdditionalFields": {}}


def base():
    return {
        "SecurityAlert": [alert(ENTITIES)],
        "CloudAppEvents": [download("2026-03-10T08:00:00Z", "report.xlsx"),
                           download("2026-03-10T08:30:00Z", "plan.docx")],
        "DeviceFileEvents": [copy("2026-03-10T10:00:00Z", "E:\\report.xlsx"),
                             copy("2026-03-10T10:05:00Z", "E:\\plan.docx")],
        "DeviceEvents": [mount("2026-03-10T09:55:00Z")],
    }


def case(name, change):
    tables = base()
    change(tables)
    folder = os.path.join(HERE, name, "in")
    os.makedirs(folder, exist_ok=True)
    for table, rows in tables.items():
        with open(os.path.join(folder, table + ".jsonl"), "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


def set_(table, rows):
    return lambda t: t.__setitem__(table, rows)


case("findings", lambda t: None)
case("no-entity-pair", set_("SecurityAlert", [alert(ENTITIES[:1])]))
case("no-downloads", set_("CloudAppEvents", [download("2026-03-10T08:00:00Z", "report.xlsx",
                                                      "198.51.100.9")]))
case("downloads-after-alert",
     lambda t: t["CloudAppEvents"].append(download("2026-03-10T09:30:00Z", "budget.xlsx")))
case("no-copies", set_("DeviceFileEvents", [copy("2026-03-10T10:00:00Z", "E:\\report.xlsx",
                                                 "Pat.Doe@contoso.com")]))
case("copies-before-alert",
     lambda t: t["DeviceFileEvents"].append(copy("2026-03-10T08:45:00Z", "C:\\report.xlsx")))
case("no-mounts", set_("DeviceEvents", [OTHER_EVENT]))
case("mounts-before-alert", set_("DeviceEvents", [mount("2026-03-10T08:50:00Z")]))
case("no-path-on-drive", set_("DeviceEvents", [mount("2026-03-10T09:55:00Z", "F:")]))
# Control characters from the data are escaped in the text output.
case("escaped-values", set_("SecurityAlert", [alert(
    [{"AadUserId": ACCOUNT + "\u001b[31m", "Type": "account"}, {"Address": IP, "Type": "ip"}])]))
