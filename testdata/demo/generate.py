#!/usr/bin/env python3
"""Writes the demo day for usbexfil: 2026-03-10 at Contoso (contoso.com, with
its subsidiary Fabrikam on fabrikam.com in the same tenant).

    python3 testdata/demo/generate.py

writes SecurityAlert.jsonl, CloudAppEvents.jsonl, DeviceFileEvents.jsonl and
DeviceEvents.jsonl next to this script. Python 3.11, standard library only,
fixed seed: every run writes the same bytes.

What it plants (README.md beside this script tells the story; expected.jsonl,
kept by hand and not written here, holds the findings):

  True incidents, one finding each
    1. megan.bowen@contoso.com downloads 12 Finance files from SharePoint,
       gets a "Mass download by a single user" alert (New), later mounts a
       Kingston stick as E: and copies 9 of the files to it with Explorer.
    2. diego.siciliani@fabrikam.com downloads 10 Sales files from OneDrive,
       gets the alert (New), stages 7 of them in %TEMP% with robocopy, mounts
       a SanDisk stick as F: and robocopies them onto it.

  Near misses, no finding each, every one a single condition away from one:
    Lee Gu           the only alert row is Status "Resolved"
    Alex Wilber      the alert is another policy
    Johanna Lorenz   downloads go on after the alert
    Pradeep Gupta    downloads and USB copies, but no alert
    Nestor Wilke     the alert's IP is not the IP of the downloads
    Isaiah Langer    copies to C:\\ only; E: gets a file never downloaded
    Grady Archie     the stick was mounted before the alert only
    Lynne Robbins    the mount is reported on another device
    Adele Vance      FileModified / FileDeleted on the stick, no FileCreated
    Avery Lee        UPN case differs between Entra ID and the device
    Christie Cline   her Explorer copy group started before the alert
  plus, around the incidents: a status-update alert row after the copies, a
  mount without a drive letter, a mount before the alert, a download group
  from another IP, Excel lock files and saves, non-FileDownloaded events.

  Background: 20 other users on 15 devices with ordinary downloads, Office
  saves, temp files, sync, PnP devices, Defender scans, other alerts.
"""

import hashlib
import json
import random
import uuid
from pathlib import Path

SEED = 20260310
DAY = "2026-03-10"
OUT = Path(__file__).resolve().parent
TENANT = "8d2f6c41-7a3b-4e59-b1c8-2f9e0d4a6b17"
TPS = 10_000_000  # 100 ns ticks per second

rng = random.Random(SEED)


# --------------------------------------------------------------------------
# small helpers


def T(text):
    """'HH:MM:SS.fffffff' on DAY -> ticks since midnight."""
    hms, _, frac = text.partition(".")
    h, m, s = (int(x) for x in hms.split(":"))
    return ((h * 60 + m) * 60 + s) * TPS + int((frac + "0000000")[:7])


def iso(ticks):
    sec, frac = divmod(ticks, TPS)
    h, rem = divmod(sec, 3600)
    m, s = divmod(rem, 60)
    return f"{DAY}T{h:02d}:{m:02d}:{s:02d}.{frac:07d}Z"


def iso_short(ticks):
    """Unified audit log style CreationTime: whole seconds, no zone."""
    return iso(ticks)[:19]


def secs(lo, hi):
    """A random duration between lo and hi seconds, in ticks."""
    return rng.randint(int(lo * TPS), int(hi * TPS))


def guid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def hex40():
    return f"{rng.getrandbits(160):040x}"


def file_facts(name):
    """Stable hashes and size for a file name, so a download and its copies agree."""
    sha1 = hashlib.sha1(name.encode()).hexdigest()
    sha256 = hashlib.sha256(name.encode()).hexdigest()
    size = 18_000 + int(sha1[:6], 16) % 24_000_000
    return sha1, sha256, size


def ext(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------
# people and machines

TITLE = {"contoso.com": "Contoso", "fabrikam.com": "Fabrikam"}


class User:
    def __init__(self, display, domain, aad, ip, city, cc, device=None,
                 device_upn=None):
        first, last = display.lower().split()
        self.display = display
        self.upn = f"{first}.{last}@{domain}"          # Entra ID / CloudAppEvents
        self.device_upn = device_upn or self.upn       # what MDE reports
        self.sam = f"{first}{last}"
        self.domain = domain
        self.aad = aad
        self.ip, self.city, self.cc = ip, city, cc
        self.device = device
        self.home = f"C:\\Users\\{first}.{last}"


class Device:
    def __init__(self, name, device_id, group):
        self.name, self.id, self.group = name, device_id, group


# Planted people: fixed ids so expected.jsonl can be checked by hand.
DEV = {
    "megan": Device("ws-fin-0142.corp.contoso.com", "5b0e9a3c7d21f48e6a9c0b1d2e3f4a5b6c7d8e9f", "Finance Workstations"),
    "diego": Device("lt-sales-0387.fabrikam.com", "c41d8e2f9a7b3c5d6e0f1a2b3c4d5e6f7a8b9c0d", "Fabrikam Laptops"),
    "lee": Device("lt-eng-0311.corp.contoso.com", "0a6f3e9d1c2b4a5f8e7d6c5b4a3f2e1d0c9b8a71", "Engineering"),
    "alex": Device("ws-pm-0198.corp.contoso.com", "1b7a4f0e2d3c5b6a9f8e7d6c5b4a3f2e1d0c9b82", "Product"),
    "johanna": Device("lt-legal-0094.corp.contoso.com", "2c8b5a1f3e4d6c7b0a9f8e7d6c5b4a3f2e1d0c93", "Legal"),
    "pradeep": Device("ws-eng-0275.corp.contoso.com", "3d9c6b2a4f5e7d8c1b0a9f8e7d6c5b4a3f2e1da4", "Engineering"),
    "isaiah": Device("lt-eng-0219.corp.contoso.com", "4e0d7c3b5a6f8e9d2c1b0a9f8e7d6c5b4a3f2eb5", "Engineering"),
    "grady": Device("lt-ops-0502.corp.contoso.com", "5f1e8d4c6b7a9f0e3d2c1b0a9f8e7d6c5b4a3fc6", "Operations"),
    "lynne": Device("lt-mkt-0455.corp.contoso.com", "6a2f9e5d7c8b0a1f4e3d2c1b0a9f8e7d6c5b4ad7", "Marketing"),
    "adele": Device("ws-hr-0117.corp.contoso.com", "7b3a0f6e8d9c1b2a5f4e3d2c1b0a9f8e7d6c5be8", "HR"),
    "avery": Device("lt-fin-0164.corp.contoso.com", "8c4b1a7f9e0d2c3b6a5f4e3d2c1b0a9f8e7d6cf9", "Finance Workstations"),
    "nestor": Device("lt-0733.fabrikam.com", "9d5c2b8a0f1e3d4c7b6a5f4e3d2c1b0a9f8e7d0a", "Fabrikam Laptops"),
    "christie": Device("lt-fin-0189.corp.contoso.com", "ae6d3c9b1a2f4e5d8c7b6a5f4e3d2c1b0a9f8e1b", "Finance Workstations"),
    # Patti Fernandez's desk PC; Lynne Robbins's USB mount is reported here.
    "patti": Device("ws-mkt-0456.corp.contoso.com", "bf7e4dac2b3a5f6e9d8c7b6a5f4e3d2c1b0a9f2c", "Marketing"),
}

U = {
    "megan": User("Megan Bowen", "contoso.com", "b1f4c2d7-3a5e-4c8b-9d21-7e6f5a4b3c29", "203.0.113.45", "redmond", "US", DEV["megan"]),
    "diego": User("Diego Siciliani", "fabrikam.com", "4a9d6e21-8c3f-4b57-a0e2-91d7c5f38b64", "198.51.100.23", "seattle", "US", DEV["diego"]),
    "lee": User("Lee Gu", "contoso.com", "e2a7c915-6b4d-4f3e-8a10-3c5d7e9f1b26", "203.0.113.61", "bellevue", "US", DEV["lee"]),
    "alex": User("Alex Wilber", "contoso.com", "f3b8da26-7c5e-4a4f-9b21-4d6e8f0a2c37", "203.0.113.72", "redmond", "US", DEV["alex"]),
    "johanna": User("Johanna Lorenz", "contoso.com", "04c9eb37-8d6f-4b50-8c32-5e7f9a1b3d48", "198.51.100.88", "munich", "DE", DEV["johanna"]),
    "pradeep": User("Pradeep Gupta", "contoso.com", "15dafc48-9e70-4c61-9d43-6f8a0b2c4e59", "203.0.113.104", "redmond", "US", DEV["pradeep"]),
    "isaiah": User("Isaiah Langer", "contoso.com", "26eb0d59-af81-4d72-8e54-7a9b1c3d5f6a", "203.0.113.119", "kirkland", "US", DEV["isaiah"]),
    "grady": User("Grady Archie", "contoso.com", "37fc1e6a-b092-4e83-9f65-8bac2d4e6a7b", "198.51.100.140", "tacoma", "US", DEV["grady"]),
    "lynne": User("Lynne Robbins", "contoso.com", "480d2f7b-c1a3-4f94-8a76-9cbd3e5f7b8c", "203.0.113.133", "redmond", "US", DEV["lynne"]),
    "adele": User("Adele Vance", "contoso.com", "591e308c-d2b4-4a05-9b87-adce4f6a8c9d", "203.0.113.150", "redmond", "US", DEV["adele"]),
    "avery": User("Avery Lee", "contoso.com", "6a2f419d-e3c5-4b16-8c98-bedf5a7b9dae", "203.0.113.166", "redmond", "US", DEV["avery"],
                  device_upn="Avery.Lee@contoso.com"),
    "nestor": User("Nestor Wilke", "fabrikam.com", "7b3052ae-f4d6-4c27-9da9-cfe06b8cadbf", "192.0.2.77", "portland", "US", DEV["nestor"]),
    "christie": User("Christie Cline", "contoso.com", "8c4163bf-05e7-4d38-8eba-d0f17c9dbec0", "203.0.113.181", "redmond", "US", DEV["christie"]),
}

# Background people and machines: drawn from the seeded generator.
NOISE_NAMES = [
    ("Patti Fernandez", "contoso.com"), ("Miriam Graham", "contoso.com"),
    ("Joni Sherman", "contoso.com"), ("Henrietta Mueller", "contoso.com"),
    ("Irvin Sayers", "contoso.com"), ("Lidia Holloway", "contoso.com"),
    ("Allan Deyoung", "contoso.com"), ("Enrico Cattaneo", "contoso.com"),
    ("Debra Berger", "contoso.com"), ("Emily Braun", "contoso.com"),
    ("Raul Razo", "contoso.com"), ("Bianca Pisani", "contoso.com"),
    ("Cameron White", "contoso.com"), ("Sara Davis", "contoso.com"),
    ("Kenji Ito", "contoso.com"), ("Lila Schmidt", "fabrikam.com"),
    ("Tomas Novak", "fabrikam.com"), ("Yuki Tanaka", "fabrikam.com"),
    ("Omar Haddad", "fabrikam.com"), ("Grace Okafor", "fabrikam.com"),
]
NOISE_CITIES = [("redmond", "US"), ("seattle", "US"), ("bellevue", "US"),
                ("london", "GB"), ("dublin", "IE"), ("munich", "DE"),
                ("toronto", "CA"), ("tokyo", "JP")]
NOISE_DEVICE_NAMES = [
    None,  # Patti: ws-mkt-0456, fixed above
    "ws-hr-0211.corp.contoso.com", "lt-sales-0412.corp.contoso.com",
    "DESKTOP-7K2QH9M", "lt-eng-0288.corp.contoso.com",
    "ws-fin-0150.corp.contoso.com", "lt-ops-0517.corp.contoso.com",
    "lt-eng-0340.corp.contoso.com", "ws-exec-0007.corp.contoso.com",
    "lt-mkt-0468.corp.contoso.com", "LAPTOP-R4D1N8VB",
    "lt-0791.fabrikam.com", "ws-0802.fabrikam.com", "lt-0815.fabrikam.com",
    "lt-0820.fabrikam.com",
]  # 15 devices for the first 15 background users; the other 5 are web-only

NOISE = []
for i, (display, domain) in enumerate(NOISE_NAMES):
    city, cc = rng.choice(NOISE_CITIES)
    ip = f"{rng.choice(['203.0.113', '198.51.100', '192.0.2'])}.{rng.randint(2, 250)}"
    device = None
    if i < len(NOISE_DEVICE_NAMES):
        name = NOISE_DEVICE_NAMES[i]
        device = DEV["patti"] if name is None else Device(
            name, hex40(), rng.choice(["Engineering", "Sales Laptops", "HR", "UnassignedGroup"]))
    NOISE.append(User(display, domain, guid(), ip, city, cc, device))


# --------------------------------------------------------------------------
# processes as MDE reports them: (file name, folder path, command line, parent)

PROC = {
    "explorer": ("explorer.exe", r"c:\windows\explorer.exe", r"C:\WINDOWS\Explorer.EXE", "userinit.exe"),
    "chrome": ("chrome.exe", r"c:\program files\google\chrome\application\chrome.exe",
               r'"C:\Program Files\Google\Chrome\Application\chrome.exe"', "explorer.exe"),
    "msedge": ("msedge.exe", r"c:\program files (x86)\microsoft\edge\application\msedge.exe",
               r'"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" --single-argument', "explorer.exe"),
    "robocopy": ("Robocopy.exe", r"c:\windows\system32\robocopy.exe", None, "cmd.exe"),
    "onedrive": ("OneDrive.exe", r"c:\program files\microsoft onedrive\onedrive.exe",
                 r'"C:\Program Files\Microsoft OneDrive\OneDrive.exe" /background', "explorer.exe"),
    "excel": ("EXCEL.EXE", r"c:\program files\microsoft office\root\office16\excel.exe",
              r'"C:\Program Files\Microsoft Office\Root\Office16\EXCEL.EXE"', "explorer.exe"),
    "winword": ("WINWORD.EXE", r"c:\program files\microsoft office\root\office16\winword.exe",
                r'"C:\Program Files\Microsoft Office\Root\Office16\WINWORD.EXE" /n', "explorer.exe"),
    "outlook": ("OUTLOOK.EXE", r"c:\program files\microsoft office\root\office16\outlook.exe",
                r'"C:\Program Files\Microsoft Office\Root\Office16\OUTLOOK.EXE"', "explorer.exe"),
    "teams": ("ms-teams.exe", r"c:\program files\windowsapps\msteams_24004.1403.2634.2418_x64__8wekyb3d8bbwe\ms-teams.exe",
              "ms-teams.exe", "explorer.exe"),
    "svchost": ("svchost.exe", r"c:\windows\system32\svchost.exe",
                "svchost.exe -k LocalSystemNetworkRestricted -p -s StorSvc", "services.exe"),
    "msmpeng": ("MsMpEng.exe", r"c:\programdata\microsoft\windows defender\platform\4.18.24020.7-0\msmpeng.exe",
                "MsMpEng.exe", "services.exe"),
}

_pids = {}


def pid(device, proc):
    key = (device.id, proc)
    if key not in _pids:
        _pids[key] = rng.randint(1200, 32000)
    return _pids[key]


_report_id = [10_000]


def report_id():
    _report_id[0] += rng.randint(3, 400)
    return _report_id[0]


# --------------------------------------------------------------------------
# row builders, one per table

ALERTS, CLOUD, FILES, EVENTS = [], [], [], []

CITY_GEO = {"redmond": ("Redmond", 47.67, -122.12), "seattle": ("Seattle", 47.61, -122.33),
            "bellevue": ("Bellevue", 47.61, -122.2), "munich": ("Munich", 48.14, 11.58),
            "kirkland": ("Kirkland", 47.68, -122.21), "tacoma": ("Tacoma", 47.25, -122.44),
            "portland": ("Portland", 45.52, -122.68), "london": ("London", 51.51, -0.13),
            "dublin": ("Dublin", 53.35, -6.26), "toronto": ("Toronto", 43.65, -79.38),
            "tokyo": ("Tokyo", 35.68, 139.69)}


def alert(t, user, name, status, ip=None, files=0, minutes=0, severity="Medium"):
    ip = ip or user.ip
    local, _, suffix = user.upn.partition("@")
    city, lat, lon = CITY_GEO[user.city]
    entities = [
        {"$id": "2", "Name": local, "UPNSuffix": suffix, "AadTenantId": TENANT,
         "AadUserId": user.aad, "DisplayName": user.display, "Type": "account"},
        {"$id": "3", "Address": ip, "Location": {"CountryCode": user.cc, "City": city,
         "Latitude": lat, "Longitude": lon, "Asn": 8075}, "Type": "ip"},
        {"$id": "4", "AppId": 20892, "Name": "Microsoft SharePoint Online", "Type": "cloud-application"},
    ]
    desc = (f"User {user.display} ({user.upn}) downloaded {files} files in {minutes} minutes."
            if files else f"Activity of {user.display} ({user.upn}) matched the policy '{name}'.")
    ALERTS.append({
        "TimeGenerated": iso(t), "DisplayName": name, "AlertName": name,
        "AlertSeverity": severity, "Description": desc, "ProviderName": "MCAS",
        "VendorName": "Microsoft", "ProductName": "Microsoft Cloud App Security",
        "Status": status, "CompromisedEntity": user.upn,
        "SystemAlertId": guid(), "VendorOriginalId": f"{rng.getrandbits(96):024x}",
        "AlertType": "ALERT_CABINET_EVENT_MATCH_AUDIT",
        "StartTime": iso(t - secs(900, 3600)), "EndTime": iso(t - secs(60, 600)),
        "Entities": dumps(entities),
        "ExtendedProperties": dumps({"Policy": name, "Activities count": str(files or rng.randint(1, 40)),
                                     "ProcessedBySentinel": "True",
                                     "Alert generation status": "Full alert created"}),
        "RemediationSteps": dumps(["Contact the user and confirm the activity."]),
        "Tactics": "Exfiltration" if files else "InitialAccess", "Techniques": "",
        "AlertLink": f"https://security.microsoft.com/alerts/ca{rng.getrandbits(120):030x}",
        "SourceSystem": "Detection", "TenantId": TENANT, "Type": "SecurityAlert",
    })


def cloud(t, user, action, file=None, ip=None, app=None, folder="Shared Documents", site="Finance"):
    """One CloudAppEvents row (SharePoint/OneDrive file activity)."""
    ip = ip or user.ip
    if app is None:
        app = "Microsoft SharePoint Online"
    onedrive = "OneDrive" in app
    local = user.upn.replace(".", "_").replace("@", "_")
    site_url = (f"https://contoso-my.sharepoint.com/personal/{local}/" if onedrive
                else f"https://contoso.sharepoint.com/sites/{site}/")
    rel = "Documents/" + folder if onedrive else folder
    raw = {
        "CreationTime": iso_short(t), "Id": guid(), "Operation": action,
        "RecordType": 6, "UserType": 0,
        "Workload": "OneDrive" if onedrive else "SharePoint",
        "ClientIP": ip, "UserId": user.upn,
        "ObjectId": f"{site_url}{rel}/{file}",
        "SiteUrl": site_url, "SourceRelativeUrl": rel,
        "SourceFileName": file, "SourceFileExtension": ext(file),
    }
    app_id = 15600 if onedrive else 20892
    CLOUD.append({
        "TimeGenerated": iso(t), "ActionType": action, "Application": app,
        "ApplicationId": app_id, "AccountObjectId": user.aad,
        "AccountDisplayName": user.display, "IPAddress": ip,
        "City": user.city, "CountryCode": user.cc,
        "ActivityType": {"FileDownloaded": "Download", "FileUploaded": "Upload"}.get(action, "Basic"),
        "ObjectName": file, "ObjectType": "File", "RawEventData": raw,
        "ReportId": f"{guid()}_{app_id}", "TenantId": TENANT, "Type": "CloudAppEvents",
    })


def fevent(t, action, device, who, proc, folder, name, prev=None, cmd=None):
    """One DeviceFileEvents row. who: (upn, sam) or None for SYSTEM."""
    pname, ppath, pcmd, parent = PROC[proc]
    sha1, sha256, size = file_facts(name)
    gone = action == "FileDeleted"
    upn, sam = who if who else (None, "system")
    row = {
        "TimeGenerated": iso(t), "ActionType": action,
        "DeviceId": device.id, "DeviceName": device.name,
        "FileName": name, "FolderPath": f"{folder}\\{name}",
        "SHA1": sha1, "SHA256": None if gone else sha256, "FileSize": size,
        "InitiatingProcessAccountName": sam, "InitiatingProcessAccountUpn": upn,
        "InitiatingProcessFileName": pname, "InitiatingProcessFolderPath": ppath,
        "InitiatingProcessCommandLine": cmd or pcmd,
        "InitiatingProcessParentFileName": parent,
        "InitiatingProcessId": pid(device, proc), "ReportId": report_id(),
        "Type": "DeviceFileEvents",
    }
    if prev:  # the export leaves the rename columns out of other rows
        row["PreviousFolderPath"], row["PreviousFileName"] = prev
    FILES.append(row)


def devent(t, action, device, fields=None, proc="svchost", who=None, extra=None):
    """One DeviceEvents row."""
    pname, _, pcmd, _ = PROC[proc]
    upn, sam = who if who else (None, "system")
    row = {
        "TimeGenerated": iso(t), "ActionType": action,
        "DeviceId": device.id, "DeviceName": device.name,
        "InitiatingProcessAccountName": sam, "InitiatingProcessAccountUpn": upn,
        "InitiatingProcessFileName": pname, "InitiatingProcessCommandLine": pcmd,
        "AdditionalFields": fields, "ReportId": report_id(),
        "Type": "DeviceEvents",
    }
    if extra:
        row.update(extra)
    EVENTS.append(row)


STICKS = {
    "kingston": ("Kingston", "DataTraveler 3.0", "USBSTOR\\DiskKingstonDataTraveler_3.0"),
    "sandisk": ("SanDisk", "Ultra USB 3.0", "USBSTOR\\DiskSanDisk_Ultra_USB_3.0"),
    "samsung": ("Samsung", "Portable SSD T7", "USBSTOR\\DiskSamsung_PSSD_T7"),
    "wd": ("Western Digital", "My Passport 25E2", "USBSTOR\\DiskWD_My_Passport_25E2"),
    "lexar": ("Lexar", "JumpDrive S47", "USBSTOR\\DiskLexar_USB_Flash_Drive"),
    "verbatim": ("Verbatim", "Store n Go", "USBSTOR\\DiskVerbatimSTORE_N_GO"),
}


def usb(t, device, letter, stick, volume=None, serial=None):
    """PnpDeviceConnected for the stick, then UsbDriveMounted (letter None: no drive letter)."""
    maker, product, vendor_ids = STICKS[stick]
    serial = serial or f"{rng.getrandbits(80):020X}"
    volume = volume or "Volume{" + guid() + "}"
    devent(t - secs(0.8, 2.5), "PnpDeviceConnected", device,
           {"ClassName": "DiskDrive", "DeviceDescription": f"{maker} {product} USB Device",
            "VendorIds": vendor_ids, "DeviceId": f"USBSTOR\\DISK&VEN_{maker.upper().replace(' ', '_')}\\{serial}&0"})
    fields = {"BusType": 7, "ProductName": product, "ProductRevision": "1.00",
              "SerialNumber": serial, "Manufacturer": maker, "Volume": volume}
    if letter:
        fields = {"DriveLetter": letter, **fields}
    devent(t, "UsbDriveMounted", device, fields)


# --------------------------------------------------------------------------
# planting helpers


def downloads(user, start, names, gap=(150, 330), **kw):
    """FileDownloaded events spread from start; returns their times."""
    t, times = start, []
    for name in names:
        cloud(t, user, "FileDownloaded", name, **kw)
        times.append(t)
        t += secs(*gap)
    return times


def browser_saves(user, times, names, browser="chrome"):
    """The browser writing each download into the user's Downloads folder."""
    who = (user.device_upn, user.sam)
    for t, name in zip(times, names):
        t += secs(1, 4)
        if rng.random() < 0.5:
            fevent(t, "FileRenamed", user.device, who, browser, f"{user.home}\\Downloads", name,
                   prev=(f"{user.home}\\Downloads", f"Unconfirmed {rng.randint(10000, 999999)}.crdownload"))
        else:
            fevent(t, "FileCreated", user.device, who, browser, f"{user.home}\\Downloads", name)


def copies(user, start, names, folder, proc="explorer", action="FileCreated", gap=(0.3, 40), cmd=None):
    who = (user.device_upn, user.sam)
    t = start
    for name in names:
        fevent(t, action, user.device, who, proc, folder, name, cmd=cmd)
        t += secs(*gap)


# ==========================================================================
# Incident 1: Megan Bowen, Finance, SharePoint -> Explorer -> E: (Kingston)

megan = U["megan"]
MEGAN_FILES = [
    ("08:02:14.3318205", "FY26 Budget v7.xlsx"),
    ("08:05:51.0927734", "Q1 Close Checklist.xlsx"),
    ("08:09:27.8846120", "Vendor master export.csv"),
    ("08:13:02.4410967", "AP Aging 2026-02.xlsx"),
    ("08:17:45.9023318", "Payroll Register Feb 2026.xlsx"),
    ("08:21:10.5574402", "Bank Reconciliation Feb.xlsx"),
    ("08:26:33.1189046", "Board Pack Q4 FY25.pptx"),
    ("08:30:08.7702511", "Audit PBC List.xlsx"),
    ("08:34:59.2235870", "Intercompany Eliminations.xlsx"),
    ("08:40:21.6648093", "Tax Provision Workpapers.xlsx"),
    ("08:45:47.0051224", "Cash Forecast 13wk.xlsx"),
    ("08:51:37.4420689", "Revenue by Customer FY25.xlsx"),
]
for hms, name in MEGAN_FILES:
    cloud(T(hms), megan, "FileDownloaded", name, folder="Shared Documents/Close", site="Finance")
browser_saves(megan, [T(h) for h, _ in MEGAN_FILES], [n for _, n in MEGAN_FILES])
# From home before work: another IP, so another download group the alert does not join.
for hms, name in [("07:21:40.5530182", "Expense Policy 2026.pdf"),
                  ("07:24:02.9917345", "Travel Booking Guide.pdf")]:
    cloud(T(hms), megan, "FileDownloaded", name, ip="100.72.14.9", folder="Shared Documents/Policies", site="Finance")
cloud(T("08:57:12.6003417"), megan, "FileAccessed", "FY26 Budget v7.xlsx", folder="Shared Documents/Close")
cloud(T("08:58:40.2290113"), megan, "FilePreviewed", "AP Aging 2026-02.xlsx", folder="Shared Documents/Close")
alert(T("09:12:44.5823417"), megan, "Mass download by a single user", "New", files=12, minutes=49, severity="High")
# The stick was already plugged in once in the morning (before the alert).
MEGAN_VOLUME = "Volume{3b9e27c4-61d0-4f8a-9e15-c74a2d08b6f1}"
usb(T("07:58:03.2214580"), megan.device, "E:", "kingston", MEGAN_VOLUME, "60A44C4138A2F3B0B9D61E07")
usb(T("10:31:18.6642093"), megan.device, "E:", "kingston", MEGAN_VOLUME, "60A44C4138A2F3B0B9D61E07")
megan_who = (megan.device_upn, megan.sam)
for hms, name in [
    ("10:33:02.1184530", "FY26 Budget v7.xlsx"),
    ("10:33:02.6620914", "Q1 Close Checklist.xlsx"),
    ("10:33:03.2043377", "Vendor master export.csv"),
    ("10:34:15.8870412", "Payroll Register Feb 2026.xlsx"),
    ("10:34:16.3391058", "Bank Reconciliation Feb.xlsx"),
    ("10:36:40.0729981", "Board Pack Q4 FY25.pptx"),
    ("10:36:41.0040519", "Team offsite 2025.jpg"),       # never downloaded: not in the file list
    ("10:38:11.5506263", "Tax Provision Workpapers.xlsx"),
    ("10:39:05.2210037", "Expense Policy 2026.pdf"),     # downloaded from home IP: not in the file list
    ("10:41:27.9914450", "Cash Forecast 13wk.xlsx"),
    ("10:41:28.4407716", "Revenue by Customer FY25.xlsx"),
]:
    fevent(T(hms), "FileCreated", megan.device, megan_who, "explorer", "E:\\Q1 Close", name)
# Excel opens the copy on the stick: a lock file, then a save (FileModified).
fevent(T("10:49:55.7302216"), "FileCreated", megan.device, megan_who, "excel", "E:\\Q1 Close", "~$FY26 Budget v7.xlsx")
fevent(T("10:52:19.3310447"), "FileModified", megan.device, megan_who, "excel", "E:\\Q1 Close", "FY26 Budget v7.xlsx")
fevent(T("10:58:02.0071932"), "FileDeleted", megan.device, megan_who, "excel", "E:\\Q1 Close", "~$FY26 Budget v7.xlsx")

# ==========================================================================
# Incident 2: Diego Siciliani, Fabrikam sales, OneDrive -> robocopy -> F: (SanDisk)

diego = U["diego"]
DIEGO_FILES = [
    ("12:58:06.7731902", "Pipeline Q2 FY26.xlsx"),
    ("13:01:44.2019385", "Top 50 Accounts.xlsx"),
    ("13:04:19.9923017", "Pricing Matrix 2026.xlsx"),
    ("13:08:52.3306641", "Discount Approvals.xlsx"),
    ("13:12:30.0481175", "Territory Plan West.pptx"),
    ("13:15:03.6652248", "Customer Contacts Export.csv"),
    ("13:19:47.1107790", "Renewals Forecast.xlsx"),
    ("13:23:11.8829463", "Partner Rebates 2025.xlsx"),
    ("13:27:38.4470052", "Competitive Battlecards.pdf"),
    ("13:31:02.9016637", "Commission Plan FY26.pdf"),
]
ONEDRIVE = "Microsoft OneDrive for Business"
for hms, name in DIEGO_FILES:
    cloud(T(hms), diego, "FileDownloaded", name, app=ONEDRIVE, folder="Sales")
browser_saves(diego, [T(h) for h, _ in DIEGO_FILES], [n for _, n in DIEGO_FILES], browser="msedge")
cloud(T("12:41:09.3342871"), diego, "FileUploaded", "Call notes Northwind.docx", app=ONEDRIVE, folder="Sales")
alert(T("13:47:09.1137265"), diego, "Mass download by a single user", "New", files=10, minutes=33, severity="High")
# The analyst picks the alert up later: Sentinel stores a new row for the status change.
alert(T("16:05:52.8810034"), diego, "Mass download by a single user", "InProgress", files=10, minutes=33, severity="High")
STAGE = f"{diego.home}\\AppData\\Local\\Temp\\xfer"
DIEGO_COPIED = ["Customer Contacts Export.csv", "Discount Approvals.xlsx", "Partner Rebates 2025.xlsx",
                "Pipeline Q2 FY26.xlsx", "Pricing Matrix 2026.xlsx", "Renewals Forecast.xlsx",
                "Top 50 Accounts.xlsx"]
diego_who = (diego.device_upn, diego.sam)
stage_cmd = f'robocopy "{diego.home}\\Downloads" "{STAGE}" *.xlsx *.csv /R:1 /W:1'
for hms, name in zip(["14:12:33.4050218", "14:12:33.5127730", "14:12:33.6633891", "14:12:33.8840127",
                      "14:12:34.0129564", "14:12:34.1998020", "14:12:34.3307415"], DIEGO_COPIED):
    fevent(T(hms), "FileCreated", diego.device, diego_who, "robocopy", STAGE, name, cmd=stage_cmd)
usb(T("14:20:47.3025118"), diego.device, "F:", "sandisk", "Volume{a41f6d02-9c3e-4b7a-8d55-0e6b19f2c7a3}",
    "4C530001230618115372")
usb_cmd = f'robocopy "{STAGE}" F:\\xfer /E /R:1 /W:1'
for hms, name in zip(["14:22:05.7718306", "14:22:06.9032245", "14:22:07.4419870", "14:22:09.1206633",
                      "14:22:10.0047791", "14:22:11.6632018", "14:22:12.2290456"], DIEGO_COPIED):
    fevent(T(hms), "FileCreated", diego.device, diego_who, "robocopy", "F:\\xfer", name, cmd=usb_cmd)
# A locked BitLocker To Go drive: mounted, but with no drive letter.
usb(T("14:58:40.1170392"), diego.device, None, "samsung")

# ==========================================================================
# Near misses: each one reaches far into the rule and then stops.

# Lee Gu: the whole chain, but the only alert row is Status "Resolved".
lee = U["lee"]
LEE = ["Platform Architecture v4.vsdx", "Release Plan H1.xlsx", "API Keys Rotation Runbook.docx",
       "Threat Model - Payments.docx"]
downloads(lee, T("09:40:12.5034411"), LEE, site="Engineering")
alert(T("10:22:31.0840023"), lee, "Mass download by a single user", "Resolved", files=5, minutes=25)
usb(T("11:08:44.9127001"), lee.device, "E:", "lexar")
copies(lee, T("11:10:03.3308562"), LEE, "E:\\eng")

# Alex Wilber: the whole chain, but the alert is another policy.
alex = U["alex"]
ALEX = ["Launch Plan Contoso X2.pptx", "Product Pricing Sheet.xlsx", "Analyst Briefing Notes.docx",
        "Press List Q1.csv"]
downloads(alex, T("10:15:40.2201937"), ALEX, site="Product")
alert(T("11:02:18.7719054"), alex, "Unusual file download (by user)", "New", files=5, minutes=29)
usb(T("11:40:26.0054183"), alex.device, "E:", "verbatim")
copies(alex, T("11:42:10.6627340"), ALEX, "E:\\launch")

# Johanna Lorenz: the alert fires while she is still downloading (last download after the alert).
johanna = U["johanna"]
JOHANNA = ["Master Services Agreement - Northwind.docx", "NDA Tracker.xlsx", "Litigation Hold Notice.docx",
           "Patent Filing Draft 17.docx", "Contract Register 2026.xlsx", "Board Minutes Jan 2026.pdf",
           "Settlement Terms (draft).docx"]
downloads(johanna, T("10:20:05.1187320"), JOHANNA, gap=(600, 700), site="Legal")
alert(T("11:05:47.3390126"), johanna, "Mass download by a single user", "New", files=7, minutes=45)
usb(T("12:08:15.5501247"), johanna.device, "D:", "wd")
copies(johanna, T("12:10:31.2278804"), JOHANNA, "D:\\Legal")

# Pradeep Gupta: downloads and copies to a stick, but there is no alert at all.
pradeep = U["pradeep"]
PRADEEP = ["Source Escrow Manifest.xlsx", "Hardware BOM Rev C.xlsx", "Supplier Quotes 2026.xlsx",
           "Schematics Mainboard v3.pdf"]
downloads(pradeep, T("12:30:18.9906372"), PRADEEP, site="Engineering")
usb(T("13:20:02.4418836"), pradeep.device, "E:", "kingston")
copies(pradeep, T("13:22:47.7710459"), PRADEEP, "E:\\hw")

# Nestor Wilke: the alert's IP entity is not the IP the downloads came from.
nestor = U["nestor"]
NESTOR = ["Deal Desk Approvals.xlsx", "Channel Partner List.csv", "Win Loss Analysis.pptx",
          "Regional Targets FY26.xlsx"]
downloads(nestor, T("09:10:26.6671285"), NESTOR, app=ONEDRIVE, folder="Deals")
alert(T("09:58:09.2046671"), nestor, "Mass download by a single user", "New", ip="203.0.113.80", files=5, minutes=22)
usb(T("10:30:40.8803317"), nestor.device, "E:", "sandisk")
copies(nestor, T("10:32:14.0092286"), NESTOR, "E:\\deals")

# Isaiah Langer: copies the downloads after the alert, but only into his OneDrive
# folder on C:. The only thing he puts on the mounted E: was never downloaded.
isaiah = U["isaiah"]
ISAIAH = ["Research Notebook 2025.docx", "Experiment Data Batch 14.csv", "Lab Results Summary.xlsx",
          "Prototype Costing.xlsx"]
times = downloads(isaiah, T("08:40:51.3317904"), ISAIAH, site="Research")
browser_saves(isaiah, times, ISAIAH)
alert(T("09:35:22.8461130"), isaiah, "Mass download by a single user", "New", files=5, minutes=22)
usb(T("10:02:37.1124608"), isaiah.device, "E:", "lexar")
copies(isaiah, T("10:05:19.7716023"), ISAIAH, f"{isaiah.home}\\OneDrive - Contoso\\Archive")
copies(isaiah, T("10:09:58.2250117"), ["holiday-photos.zip"], "E:")

# Grady Archie: the stick was mounted before the alert and never again.
grady = U["grady"]
GRADY = ["Warehouse Inventory 2026-03.xlsx", "Carrier Rates Contract.pdf", "Logistics KPIs Feb.xlsx",
         "Shipping Manifest Week 10.csv"]
times = downloads(grady, T("14:05:33.0081274"), GRADY, site="Operations")
browser_saves(grady, times, GRADY)
usb(T("14:55:12.6613390"), grady.device, "D:", "wd")
alert(T("15:10:04.5529187"), grady, "Mass download by a single user", "New", files=5, minutes=20)
copies(grady, T("15:20:45.3382019"), GRADY, "D:\\ops")

# Lynne Robbins: copies to E: on her laptop, but the UsbDriveMounted event after
# the alert is on another device (Patti Fernandez's desk PC). Her laptop only
# reports the PnP connection.
lynne = U["lynne"]
LYNNE = ["Campaign Budget Q2.xlsx", "Customer Survey Raw 2026.csv", "Media Plan H1.xlsx",
         "Event Attendee List.xlsx"]
times = downloads(lynne, T("11:10:09.4408825"), LYNNE, site="Marketing")
browser_saves(lynne, times, LYNNE)
alert(T("12:03:36.9925514"), lynne, "Mass download by a single user", "New", files=5, minutes=24)
devent(T("12:30:55.2217743"), "PnpDeviceConnected", lynne.device,
       {"ClassName": "DiskDrive", "DeviceDescription": "Verbatim Store n Go USB Device",
        "VendorIds": "USBSTOR\\DiskVerbatimSTORE_N_GO", "DeviceId": "USBSTOR\\DISK&VEN_VERBATIM\\070B7C2A1D4E&0"})
usb(T("12:31:48.0067215"), DEV["patti"], "E:", "verbatim")
copies(lynne, T("12:33:20.5519866"), LYNNE, "E:\\mkt")

# Adele Vance: the stick is mounted after the alert, but she only overwrites and
# deletes files already on it (FileModified, FileDeleted), never creates them.
adele = U["adele"]
ADELE = ["Salary Bands 2026.xlsx", "Headcount Plan FY26.xlsx", "Performance Ratings Q4.xlsx",
         "Org Chart March.pptx"]
times = downloads(adele, T("13:00:27.7730148"), ADELE, site="HR")
browser_saves(adele, times, ADELE)
alert(T("13:52:41.1106629"), adele, "Mass download by a single user", "New", files=5, minutes=22)
usb(T("14:30:05.9938412"), adele.device, "F:", "sandisk")
copies(adele, T("14:32:12.4406690"), ADELE[:3], "F:\\HR", action="FileModified")
copies(adele, T("14:35:40.0158327"), ADELE[3:], "F:\\HR", action="FileDeleted")

# Avery Lee: Entra ID says avery.lee@contoso.com, the device says Avery.Lee@contoso.com.
avery = U["avery"]
AVERY = ["Forecast Model v12.xlsx", "Capex Requests 2026.xlsx", "Treasury Positions.xlsx",
         "FX Hedging Summary.pdf"]
times = downloads(avery, T("15:30:16.2285540"), AVERY, site="Finance")
browser_saves(avery, times, AVERY)
alert(T("16:18:27.6639058"), avery, "Mass download by a single user", "New", files=5, minutes=21)
usb(T("16:40:11.3354072"), avery.device, "E:", "kingston")
copies(avery, T("16:42:36.8820145"), AVERY, "E:\\fin")

# Christie Cline: before the alert she moved one download into Documents with
# Explorer; the Explorer group therefore starts before the alert, and her later
# copies to E: (same process, same group) are dropped with it.
christie = U["christie"]
CHRISTIE = ["Procurement Savings FY25.xlsx", "Supplier Bank Details.xlsx", "Contract Renewals Calendar.xlsx",
            "RFP Scoring Matrix.xlsx", "Spend Cube Feb.xlsx"]
times = downloads(christie, T("08:15:02.9910375"), CHRISTIE, site="Procurement")
browser_saves(christie, times, CHRISTIE)
fevent(T("09:30:14.6672301"), "FileRenamed", christie.device, (christie.device_upn, christie.sam), "explorer",
       f"{christie.home}\\Documents\\Procurement", "Supplier Bank Details.xlsx",
       prev=(f"{christie.home}\\Downloads", "Supplier Bank Details.xlsx"))
alert(T("10:15:50.3307781"), christie, "Mass download by a single user", "New", files=6, minutes=28)
usb(T("11:20:29.7741056"), christie.device, "E:", "lexar")
copies(christie, T("11:22:08.1193364"), CHRISTIE, "E:\\proc")

PLANTED_NAMES = {n.casefold() for n in
                 [n for _, n in MEGAN_FILES] + [n for _, n in DIEGO_FILES] + LEE + ALEX + JOHANNA + PRADEEP
                 + NESTOR + ISAIAH + GRADY + LYNNE + ADELE + AVERY + CHRISTIE
                 + ["Expense Policy 2026.pdf", "Travel Booking Guide.pdf", "Team offsite 2025.jpg",
                    "holiday-photos.zip"]}

# ==========================================================================
# Background: ordinary work of everybody, nothing the rule can use.

NOISE_FILES = [
    "Weekly Status Report.docx", "Meeting Notes 2026-03-10.docx", "Team Roster.xlsx",
    "Travel Request Form.pdf", "Onboarding Checklist.docx", "Sprint Review.pptx",
    "Timesheet March.xlsx", "Invoice_INV-48213.pdf", "Invoice_INV-48377.pdf",
    "Customer Feedback Summary.docx", "Architecture Diagram.png", "IT Security Policy.pdf",
    "Quarterly Business Review.pptx", "Office Floor Plan.pdf", "Holiday Calendar 2026.pdf",
    "Training Completion Report.xlsx", "Brand Logo Pack.zip", "Expense Report Feb.xlsx",
    "Project Charter.docx", "Risk Register.xlsx", "Standup Notes.txt", "Vendor Invoice 7731.pdf",
    "Support Ticket Export.csv", "Roadmap Overview.pptx", "Lunch and Learn Slides.pptx",
    "Benefits FAQ.pdf", "Release Notes 4.2.md", "Design Review Comments.docx",
]
assert not PLANTED_NAMES & {n.casefold() for n in NOISE_FILES}
SITES = ["IT", "Engineering", "Sales", "HR", "Marketing", "Finance", "Operations", "Intranet"]
DAYTIME = (T("06:30:00"), T("19:30:00"))


def anytime():
    return rng.randint(*DAYTIME)


# Cloud activity: one more event for everyone (web-only people: two), planted people
# included; for them it is never a download.
for user in NOISE + list(U.values()):
    for _ in range(1 if user.device else 2):
        action = rng.choice(["FileAccessed", "FileAccessed", "FilePreviewed", "FileModified",
                             "FileUploaded", "FileSyncDownloadedFull", "FileDownloaded"])
        if user not in NOISE and action == "FileDownloaded":
            action = "FileAccessed"
        cloud(anytime(), user, action, rng.choice(NOISE_FILES), site=rng.choice(SITES),
              app=rng.choice(["Microsoft SharePoint Online", "Microsoft SharePoint Online", ONEDRIVE]))

# A few ordinary downloads, saved by the browser, for the people with a device.
for user in NOISE:
    if not user.device:
        continue
    names = rng.sample(NOISE_FILES, rng.randint(1, 2))
    times = sorted(anytime() for _ in names)
    for t, name in zip(times, names):
        cloud(t, user, "FileDownloaded", name, site=rng.choice(SITES))
    browser_saves(user, times, names, browser=rng.choice(["chrome", "msedge"]))

# Office saves, temp files, OneDrive sync, Outlook attachments, Defender and
# servicing on every device (planted people's devices included; never a planted name).
ALL_DEVICES = [u.device for u in NOISE if u.device] + [u.device for u in U.values()]
OWNER = {u.device.id: u for u in NOISE if u.device and u.device is not DEV["patti"]}
OWNER.update({u.device.id: u for u in U.values()})
OWNER[DEV["patti"].id] = NOISE[0]
for device in ALL_DEVICES:
    owner = OWNER[device.id]
    who = (owner.device_upn, owner.sam)
    for _ in range(rng.randint(1, 2)):
        t = anytime()
        name = rng.choice(NOISE_FILES)
        kind = rng.randrange(5)
        if kind == 0:
            name = rng.choice([n for n in NOISE_FILES if n.endswith((".docx", ".xlsx"))])
            proc = "winword" if name.endswith(".docx") else "excel"
            fevent(t, "FileCreated", device, who, proc, f"{owner.home}\\Documents", name)
            fevent(t + secs(60, 1800), "FileModified", device, who, proc, f"{owner.home}\\Documents", name)
        elif kind == 1:
            fevent(t, "FileCreated", device, who, "onedrive",
                   f"{owner.home}\\OneDrive - {TITLE[owner.domain]}\\Documents", name)
        elif kind == 2:
            folder = (f"{owner.home}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\"
                      f"{rng.getrandbits(32):08X}")
            fevent(t, "FileCreated", device, who, "outlook", folder, name)
        elif kind == 3:
            fevent(t, "FileCreated", device, who, "teams",
                   f"{owner.home}\\AppData\\Local\\Temp", f"tmp{rng.getrandbits(24):06x}.tmp")
        else:
            fevent(t, "FileRenamed", device, who, "explorer", f"{owner.home}\\Documents", name,
                   prev=(f"{owner.home}\\Downloads", name))
    if rng.random() < 0.3:
        fevent(anytime(), "FileCreated", device, None, "msmpeng",
               r"C:\ProgramData\Microsoft\Windows Defender\Scans\History\Service",
               f"DetectionHistory{rng.getrandbits(16):04X}.bin")
    if rng.random() < 0.2:
        fevent(anytime(), "FileModified", device, None, "svchost",
               r"C:\Windows\SoftwareDistribution\DataStore", "DataStore.edb")

# Two background people copy ordinary files to their own sticks (no alert, nothing to find).
for user, letter, stick in [(NOISE[3], "D:", "wd"), (NOISE[9], "E:", "lexar")]:
    t = anytime()
    usb(t, user.device, letter, stick)
    names = rng.sample(NOISE_FILES, 3)
    fevent(t + secs(30, 90), "FileCreated", user.device, (user.device_upn, user.sam), "explorer",
           letter, names[0])
    for name in names[1:]:
        fevent(t + secs(90, 600), "FileCreated", user.device, (user.device_upn, user.sam), "explorer",
               letter, name)

# Device telemetry that is not a USB mount.
PERIPHERALS = [
    ("HIDClass", "Logitech USB Receiver", "USB\\VID_046D&PID_C52B"),
    ("Camera", "Microsoft LifeCam HD-3000", "USB\\VID_045E&PID_0810"),
    ("AudioEndpoint", "Jabra Evolve2 65", "USB\\VID_0B0E&PID_030C"),
    ("Net", "Realtek USB GbE Family Controller", "USB\\VID_0BDA&PID_8153"),
    ("WPD", "Apple iPhone", "USB\\VID_05AC&PID_12A8"),
    ("Bluetooth", "Intel(R) Wireless Bluetooth(R)", "USB\\VID_8087&PID_0026"),
]
URLS = ["https://contoso.sharepoint.com/sites/Intranet", "https://outlook.office.com/mail/",
        "https://portal.azure.com/", "https://contoso.service-now.com/sp", "https://www.bing.com/"]
for device in ALL_DEVICES:
    owner = OWNER[device.id]
    who = (owner.device_upn, owner.sam)
    for _ in range(rng.randint(2, 3)):
        t = anytime()
        kind = rng.randrange(7)
        if kind == 0:
            cls, desc, vid = rng.choice(PERIPHERALS)
            devent(t, "PnpDeviceConnected", device, {"ClassName": cls, "DeviceDescription": desc, "VendorIds": vid})
        elif kind == 1:
            devent(t, "AntivirusScanCompleted", device,
                   {"ScanTypeIndex": rng.choice(["Quick", "Full"]), "ScanId": "{" + guid().upper() + "}"},
                   proc="msmpeng")
        elif kind == 2:
            devent(t, "BrowserLaunchedToOpenUrl", device, None, proc="outlook", who=who,
                   extra={"RemoteUrl": rng.choice(URLS)})
        elif kind == 3:
            devent(t, "NamedPipeEvent", device,
                   {"PipeName": f"\\Device\\NamedPipe\\mojo.{rng.randint(1000, 9999)}.{rng.randint(1000, 9999)}."
                                f"{rng.getrandbits(64)}", "FileOperation": "File opened",
                    "NamedPipeEnd": "Client"}, proc="chrome", who=who)
        elif kind == 4:
            devent(t, "DpapiAccessed", device,
                   {"DataDescription": "Google Chrome", "OperationType": "SPCryptUnprotect"}, proc="chrome", who=who)
        elif kind == 5:
            devent(t, "ScheduledTaskUpdated", device,
                   {"TaskName": "\\Microsoft\\Office\\Office Automatic Updates 2.0"})
        else:
            devent(t, "PowerShellCommand", device, {"Command": rng.choice(
                ["Get-ItemProperty", "Import-Module", "Get-WmiObject", "Test-Path"])})

# Other alerts for background people.
for user, name, status in [
    (NOISE[1], "Impossible travel activity", "New"),
    (NOISE[4], "Activity from infrequent country", "InProgress"),
    (NOISE[7], "Suspicious inbox manipulation rule", "New"),
    (NOISE[12], "Multiple failed user log on attempts to an app", "Resolved"),
    (NOISE[16], "Unusual file deletion activity (by user)", "New"),
]:
    alert(anytime(), user, name, status)

# ==========================================================================
# write


def write(name, rows):
    rows = sorted(rows, key=lambda r: r["TimeGenerated"])
    with open(OUT / name, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(dumps(row) + "\n")
    print(f"{name}: {len(rows)} rows")


write("SecurityAlert.jsonl", ALERTS)
write("CloudAppEvents.jsonl", CLOUD)
write("DeviceFileEvents.jsonl", FILES)
write("DeviceEvents.jsonl", EVENTS)
