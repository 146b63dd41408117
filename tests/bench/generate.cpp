// usbexfil_generate: a synthetic, realistic data set for the rule "Mass Download & copy to USB
// device by single user", in the Sentinel data-export shape (JSON lines, one object a line).
//
//   usbexfil_generate --devices N --users U --seed S --out DIR
//
// writes DIR/SecurityAlert.jsonl, DIR/CloudAppEvents.jsonl, DIR/DeviceFileEvents.jsonl and
// DIR/DeviceEvents.jsonl for one day (--date, default 2026-03-10), and prints on stdout the rows
// and bytes of each table, the number of planted chains and the number of findings the rule
// must produce for these files ("expected findings").
//
// Volume: about 2,000 DeviceFileEvents rows (1.5-2.5 KB each) and 800 DeviceEvents rows per
// device, about 150 CloudAppEvents rows per user; --devices 1000 --users 1000 is about 5.6 GB
// (written in about 17 s on a 2-core machine). --chains N plants N chains instead of one a
// hundred users (for timing output formats on many findings).
// Output is deterministic for a given seed and options: the only randomness is std::mt19937_64
// (whose output sequence the standard fixes) fed through the integer arithmetic below; no
// std::*_distribution, no floating-point library calls.
//
// ---------------------------------------------------------------------------------------------
// What is planted, and why the number of findings is exact
// ---------------------------------------------------------------------------------------------
// Background (every device and user):
//   * Device d belongs to user d % U; its rows carry that user's UPN (lower case) or SYSTEM
//     (UPN null). ~40% FileCreated, ~10% FileRenamed, ~35% FileModified, ~15% FileDeleted.
//   * File names come from one shared pool of ~3,000 office names ("report.docx",
//     "Q3-Revenue-Forecast.xlsx", ...) drawn with a skew (x^2), so the same names appear on
//     every device and in every user's cloud activity; every downloaded name is a pool name.
//   * Background FolderPaths are on C:\ or on a UNC share (\\fs01...), never on another drive.
//   * ~1% of DeviceEvents are UsbDriveMounted (letters D: to H:), each with a PnpDeviceConnected
//     just before and a UsbDriveUnmounted later. On devices of users that have no
//     mass-download alert, about 40% of mounts are followed by a few FileCreated copies of
//     pool names to that drive by explorer.exe: "mount + copy of a common name to E:\" is
//     everywhere and is not, on its own, a finding.
//   * CloudAppEvents: ~150 a user, a fifth FileDownloaded, from the user's usual IP (52.x)
//     or a roaming IP (73.x); SecurityAlert: other alert names for random users.
//
// Alerts ("Mass download by a single user", each for a distinct user that owns a device; each
// alert has its own IP in 198.51.x.x that no other CloudAppEvents row uses, one Application,
// one City/CountryCode, so each alert has exactly one download group):
//   Chain (K = max(1, U/100))  downloads from the alert IP, all before the alert; the alert;
//                              the browser saves each download under C:\Users\..\Downloads
//                              (a group that starts before the alert: dropped by the rule);
//                              one UsbDriveMounted (E: or F:) after the alert on the user's
//                              first device; then FileCreated copies of downloaded names to
//                              that drive by one copy tool (explorer, robocopy, powershell,
//                              7zFM, cmd), UPN == RawEventData.UserId exactly.
//   Decoys (each 0 findings):  Resolved       - the full chain, alert Status "Resolved";
//                              EarlyCopy      - copies start before the alert (same group,
//                                               some copies after it, drive re-mounted after);
//                              CaseMismatch   - full chain, but RawEventData.UserId differs
//                                               in case from the device UPN;
//                              MountBefore    - the only mount of that drive is before the
//                                               alert, copies after it;
//                              WrongLetter    - mount E: after the alert, copies to G:\;
//                              DownloadsAfter - full chain, but downloads go on after the
//                                               alert (download group ends after it).
//   AlertOnly                  downloads + alert, no copies.
//   Orphans                    mass-download alerts whose IP (192.0.2.x) has no downloads.
//
// Guards that keep background rows from adding or removing findings:
//   B1 no background removable-drive copies on devices of alerted users;
//   B2 on a device with planted copies, background rows of the user never use the copy
//      tool's (FolderPath, parent) before the alert, so the copy group starts after it;
//   B3 on devices of alerted users, background mounts after the alert use only D: or H:,
//      letters no planted copy uses (copies go to E:, F: or G:).
// Hence only planted DeviceFileEvents rows can reach stage 6 of the rule (every other row of
// an alerted user is on C:\ or a share, which no drive letter prefixes), and the generator
// computes the finding count by running the rule's stages over the planted rows and all
// mounts (expected_findings() below): a Chain gives one finding per mount of its letter on
// its device at or after the alert - exactly one, by B3 - and every decoy gives none. So
// expected findings == K.
// ---------------------------------------------------------------------------------------------

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

namespace {

using i64 = std::int64_t;
using u64 = std::uint64_t;
using u32 = std::uint32_t;
using std::string;
using std::string_view;

constexpr i64 kSec = 10'000'000; // 100 ns ticks
constexpr i64 kMin = 60 * kSec;
constexpr i64 kHour = 60 * kMin;
constexpr i64 kDay = 24 * kHour;
constexpr i64 kNever = INT64_MAX;

// ------------------------------------------------------------------------------------------
// Randomness
// ------------------------------------------------------------------------------------------

constexpr u64 splitmix(u64 x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

template <typename... Ts> constexpr u64 hash_of(u64 seed, Ts... parts) {
  u64 h = splitmix(seed);
  ((h = splitmix(h ^ (splitmix(static_cast<u64>(parts)) + 0x632BE59BD9B4E019ull))), ...);
  return h;
}

class Rng {
public:
  explicit Rng(u64 seed) : eng_(seed) {}
  u64 bits() { return eng_(); }
  // Uniform in [0, n), n < 2^32.
  u32 below(u32 n) { return static_cast<u32>(((eng_() >> 32) * n) >> 32); }
  // Uniform in [lo, hi) for 64-bit spans (modulo bias is negligible and deterministic).
  i64 range(i64 lo, i64 hi) {
    if (hi <= lo)
      return lo;
    return lo + static_cast<i64>(eng_() % static_cast<u64>(hi - lo));
  }
  // True with probability num/den.
  bool chance(u32 num, u32 den) { return below(den) < num; }
  // Index skewed toward 0: floor(n * x^2), x uniform in [0,1) (index 0 about 1.8% of draws
  // for n = 3000, the first tenth of the indices about 32%).
  u32 skewed(u32 n) {
    const u64 x = eng_() >> 43; // 21 bits
    const u64 x2 = (x * x) >> 21;
    return static_cast<u32>((x2 * n) >> 21);
  }
  size_t weighted(std::span<const u32> w) {
    u32 total = 0;
    for (u32 v : w)
      total += v;
    u32 r = below(total);
    for (size_t i = 0; i < w.size(); ++i) {
      if (r < w[i])
        return i;
      r -= w[i];
    }
    return w.size() - 1;
  }
  template <typename T, size_t N> const T &pick(const std::array<T, N> &a) {
    return a[below(static_cast<u32>(N))];
  }

private:
  std::mt19937_64 eng_;
};

// ------------------------------------------------------------------------------------------
// Dates
// ------------------------------------------------------------------------------------------

i64 days_from_civil(i64 y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const i64 era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<i64>(doe) - 719468;
}

void civil_from_days(i64 z, i64 &y, unsigned &m, unsigned &d) {
  z += 719468;
  const i64 era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<i64>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
}

i64 floor_div(i64 a, i64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// ------------------------------------------------------------------------------------------
// Line building
// ------------------------------------------------------------------------------------------

constexpr char kHex[] = "0123456789abcdef";

class Out {
public:
  string s;
  i64 base_day = 0; // days since 1970-01-01 of tick 0

  void lit(string_view v) { s.append(v); }
  void ch(char c) { s.push_back(c); }
  void esc(string_view v) {
    size_t run = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      const auto c = static_cast<unsigned char>(v[i]);
      if (c == '"' || c == '\\' || c < 0x20) {
        s.append(v.data() + run, i - run);
        run = i + 1;
        if (c == '"') {
          s.append("\\\"");
        } else if (c == '\\') {
          s.append("\\\\");
        } else {
          char b[7] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15], 0};
          s.append(b, 6);
        }
      }
    }
    s.append(v.data() + run, v.size() - run);
  }
  void str(string_view v) {
    s.push_back('"');
    esc(v);
    s.push_back('"');
  }
  void num(u64 v) {
    char b[24];
    auto r = std::to_chars(b, b + sizeof b, v);
    s.append(b, r.ptr);
  }
  void snum(i64 v) {
    char b[24];
    auto r = std::to_chars(b, b + sizeof b, v);
    s.append(b, r.ptr);
  }
  void hex(u64 v, int digits) {
    char b[16];
    for (int i = digits - 1; i >= 0; --i) {
      b[i] = kHex[v & 15];
      v >>= 4;
    }
    s.append(b, static_cast<size_t>(digits));
  }
  void hex_rand(Rng &r, int digits) {
    while (digits > 0) {
      const int n = digits > 16 ? 16 : digits;
      hex(r.bits(), n);
      digits -= n;
    }
  }
  void guid_raw(u64 a, u64 b) {
    hex(a >> 32, 8);
    ch('-');
    hex((a >> 16) & 0xffff, 4);
    ch('-');
    hex(0x4000 | (a & 0x0fff), 4);
    ch('-');
    hex(0x8000 | ((b >> 48) & 0x3fff), 4);
    ch('-');
    hex(b & 0xffffffffffffull, 12);
  }
  void guid(Rng &r) {
    ch('"');
    const u64 a = r.bits();
    guid_raw(a, r.bits());
    ch('"');
  }
  // "YYYY-MM-DDTHH:MM:SS[.fffffff]Z" for ticks since midnight of base_day (quoted).
  void time(i64 ticks, bool fraction = true, bool zulu = true) {
    const i64 day = floor_div(ticks, kDay);
    const i64 rem = ticks - day * kDay;
    i64 y;
    unsigned m, d;
    civil_from_days(base_day + day, y, m, d);
    char b[32];
    auto put = [&](int pos, u64 v, int n) {
      for (int i = n - 1; i >= 0; --i) {
        b[pos + i] = static_cast<char>('0' + v % 10);
        v /= 10;
      }
    };
    b[0] = '"';
    put(1, static_cast<u64>(y), 4);
    b[5] = '-';
    put(6, m, 2);
    b[8] = '-';
    put(9, d, 2);
    b[11] = 'T';
    const auto secs = static_cast<u64>(rem / kSec);
    put(12, secs / 3600, 2);
    b[14] = ':';
    put(15, secs / 60 % 60, 2);
    b[17] = ':';
    put(18, secs % 60, 2);
    int n = 20;
    if (fraction) {
      b[20] = '.';
      put(21, static_cast<u64>(rem % kSec), 7);
      n = 28;
    }
    if (zulu)
      b[n++] = 'Z';
    b[n++] = '"';
    s.append(b, static_cast<size_t>(n));
  }

  // ,"Key":value helpers. `key` is the bare key.
  void key(string_view k) {
    s.push_back(',');
    s.push_back('"');
    s.append(k);
    s.append("\":");
  }
  void ks(string_view k, string_view v) {
    key(k);
    str(v);
  }
  void kn(string_view k) {
    key(k);
    s.append("null");
  }
  void ksn(string_view k, string_view v) { // string, or null when empty
    if (v.empty()) {
      kn(k);
    } else {
      ks(k, v);
    }
  }
  void ku(string_view k, u64 v) {
    key(k);
    num(v);
  }
  void kb(string_view k, bool v) {
    key(k);
    s.append(v ? "true" : "false");
  }
  void kt(string_view k, i64 t) {
    key(k);
    time(t);
  }
  void kg(string_view k, Rng &r) {
    key(k);
    guid(r);
  }
  void khex(string_view k, Rng &r, int digits) {
    key(k);
    ch('"');
    hex_rand(r, digits);
    ch('"');
  }
};

// ------------------------------------------------------------------------------------------
// Static vocabulary
// ------------------------------------------------------------------------------------------

constexpr std::array<string_view, 64> kFirst = {
    "avery",  "carol",  "ivan",  "lena",  "nora",   "gus",   "farah",  "chen",   "maria", "james",
    "olivia", "liam",   "emma",  "noah",  "sophia", "lucas", "mia",    "ethan",  "isla",  "omar",
    "priya",  "raj",    "yuki",  "kenji", "fatima", "ahmed", "elena",  "marco",  "anna",  "pavel",
    "sara",   "tomas",  "julia", "diego", "chloe",  "ben",   "grace",  "samuel", "zoe",   "daniel",
    "hannah", "leo",    "amara", "kofi",  "ines",   "pedro", "mei",    "wei",    "nina",  "oscar",
    "ruth",   "victor", "alice", "hugo",  "clara",  "felix", "ingrid", "jonas",  "karin", "lars",
    "maya",   "nils",   "petra", "quinn"};
constexpr std::array<string_view, 64> kLast = {
    "lee",     "diaz",    "nagy",   "quispe",   "petrov",   "mensah",  "walsh",   "smith",
    "garcia",  "muller",  "rossi",  "novak",    "kowalski", "jensen",  "tanaka",  "kim",
    "nguyen",  "patel",   "singh",  "okafor",   "silva",    "costa",   "dubois",  "martin",
    "bernard", "fischer", "weber",  "schmidt",  "lopez",    "moreno",  "ivanova", "hansen",
    "larsen",  "berg",    "lind",   "nielsen",  "brown",    "wilson",  "taylor",  "clark",
    "lewis",   "young",   "hall",   "allen",    "wright",   "scott",   "green",   "baker",
    "adams",   "nelson",  "hill",   "campbell", "mitchell", "roberts", "carter",  "phillips",
    "evans",   "turner",  "torres", "parker",   "collins",  "edwards", "stewart", "morris"};

// (base, preferred extension); the name pool is base + decoration + "." + extension.
struct BaseName {
  string_view base;
  string_view ext;
};
constexpr std::array<BaseName, 104> kBases = {{
    {"report", "docx"},
    {"Q3-Revenue-Forecast", "xlsx"},
    {"Board Deck FY26", "pptx"},
    {"customer_list_2026", "csv"},
    {"Payroll March", "xlsx"},
    {"budget", "xlsx"},
    {"invoice", "pdf"},
    {"meeting-notes", "docx"},
    {"roadmap", "pptx"},
    {"document", "docx"},
    {"presentation", "pptx"},
    {"contract", "pdf"},
    {"NDA", "pdf"},
    {"proposal", "docx"},
    {"pricing", "xlsx"},
    {"price-list", "xlsx"},
    {"sales-pipeline", "xlsx"},
    {"forecast", "xlsx"},
    {"headcount", "xlsx"},
    {"org-chart", "vsdx"},
    {"salary-bands", "xlsx"},
    {"employee-directory", "csv"},
    {"onboarding", "docx"},
    {"offboarding-checklist", "docx"},
    {"project-plan", "mpp"},
    {"status-update", "pptx"},
    {"weekly-report", "docx"},
    {"minutes", "docx"},
    {"agenda", "docx"},
    {"design-spec", "docx"},
    {"architecture", "vsdx"},
    {"requirements", "docx"},
    {"test-plan", "xlsx"},
    {"release-notes", "md"},
    {"incident-postmortem", "md"},
    {"security-review", "docx"},
    {"audit-findings", "xlsx"},
    {"expense-report", "xlsx"},
    {"timesheet", "xlsx"},
    {"purchase-order", "pdf"},
    {"vendor-list", "xlsx"},
    {"partner-contacts", "csv"},
    {"marketing-plan", "pptx"},
    {"campaign-results", "xlsx"},
    {"product-brief", "docx"},
    {"competitive-analysis", "pptx"},
    {"market-research", "pdf"},
    {"strategy", "pptx"},
    {"OKRs", "xlsx"},
    {"KPI-dashboard", "xlsx"},
    {"financials", "xlsx"},
    {"balance-sheet", "xlsx"},
    {"cash-flow", "xlsx"},
    {"P&L", "xlsx"},
    {"tax-return", "pdf"},
    {"benefits-guide", "pdf"},
    {"handbook", "pdf"},
    {"policy", "docx"},
    {"training", "pptx"},
    {"source-code", "zip"},
    {"backup", "zip"},
    {"export", "csv"},
    {"data", "csv"},
    {"notes", "txt"},
    {"todo", "txt"},
    {"draft", "docx"},
    {"summary", "docx"},
    {"overview", "pptx"},
    {"specs", "pdf"},
    {"customers", "xlsx"},
    {"leads", "csv"},
    {"accounts", "xlsx"},
    {"passwords", "xlsx"},
    {"credentials", "txt"},
    {"config", "json"},
    {"inventory", "xlsx"},
    {"shipping", "xlsx"},
    {"logistics", "xlsx"},
    {"quote", "pdf"},
    {"SOW", "docx"},
    {"MSA", "pdf"},
    {"RFP response", "docx"},
    {"bid", "docx"},
    {"merger-memo", "docx"},
    {"acquisition-targets", "xlsx"},
    {"due-diligence", "pdf"},
    {"legal-hold", "msg"},
    {"litigation", "pdf"},
    {"patent-draft", "docx"},
    {"R&D-results", "xlsx"},
    {"lab-data", "csv"},
    {"Präsentation", "pptx"},
    {"Résumé", "docx"},
    {"Angebot", "pdf"},
    {"Rechnung", "pdf"},
    {"Q1-Revenue-Forecast", "xlsx"},
    {"Q2-Revenue-Forecast", "xlsx"},
    {"Q4-Revenue-Forecast", "xlsx"},
    {"Budget 2026", "xlsx"},
    {"team-photo", "jpg"},
    {"screenshot", "png"},
    {"diagram", "png"},
    {"contacts", "vcf"},
    {"customer-feedback", "xlsx"},
}};
constexpr std::array<string_view, 30> kDecorations = {
    "",         " (1)",      " (2)",      "_v2",           "_v3",     "-final",
    " FINAL",   "_final_v2", "-draft",    "_old",          " - Copy", "-2026",
    "_2026-03", "_Mar",      "_EMEA",     "_APAC",         "_NA",     "-signed",
    "_backup",  "_rev1",     "_internal", "-confidential", "_team",   "_summary",
    "-updated", "_new",      "_copy",     "_review",       "_export", "_clean"};
constexpr std::array<string_view, 8> kAltExt = {"pdf", "xlsx", "docx", "pptx",
                                                "csv", "zip",  "txt",  "pdf"};

constexpr std::array<string_view, 8> kProjects = {"Apollo", "Phoenix", "Orion",  "Atlas",
                                                  "Zephyr", "Helios",  "Nimbus", "Titan"};
constexpr std::array<string_view, 8> kDepts = {"Finance", "HR",        "Sales", "Engineering",
                                               "Legal",   "Marketing", "IT",    "Operations"};
constexpr std::array<string_view, 6> kMachineGroups = {"Finance Workstations", "Sales Laptops",
                                                       "Engineering",          "UnassignedGroup",
                                                       "Executives",           "Kiosks"};

struct Place {
  string_view city, cc, isp;
};
constexpr std::array<Place, 8> kHomePlaces = {{{"redmond", "US", "Contoso ISP"},
                                               {"seattle", "US", "Comcast"},
                                               {"new york", "US", "Verizon"},
                                               {"london", "GB", "BT"},
                                               {"münchen", "DE", "Deutsche Telekom"},
                                               {"paris", "FR", "Orange"},
                                               {"dublin", "IE", "Eir"},
                                               {"toronto", "CA", "Rogers"}}};
constexpr std::array<Place, 8> kOddPlaces = {{{"amsterdam", "NL", "LeaseWeb"},
                                              {"sao paulo", "BR", "Vivo"},
                                              {"singapore", "SG", "Singtel"},
                                              {"lagos", "NG", "MTN"},
                                              {"kyiv", "UA", "Kyivstar"},
                                              {"frankfurt", "DE", "Hetzner"},
                                              {"hong kong", "HK", "PCCW"},
                                              {"bucharest", "RO", "M247"}}};

enum FolderKind : int { kUserDocs, kBrowser, kOffice, kOutlook, kOneDrive, kTeams, kSystem };

struct Proc {
  string_view folder; // InitiatingProcessFolderPath, as MDE shows it (lower case)
  string_view file;
  string_view parent;
  string_view cmd;
  string_view description; // InitiatingProcessVersionInfoFileDescription
  u64 size;
  FolderKind kind;
  bool system;
};

// clang-format off
constexpr std::array<Proc, 19> kProcs = {{
  /* 0*/ {"c:\\windows\\explorer.exe", "explorer.exe", "userinit.exe", "Explorer.EXE",
          "Windows Explorer", 5310104, kUserDocs, false},
  /* 1*/ {"c:\\program files\\google\\chrome\\application\\chrome.exe", "chrome.exe", "explorer.exe",
          "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=2184 --field-trial-handle=1996,i,8139405331264528421,17236145785826312349,262144 /prefetch:11",
          "Google Chrome", 3161368, kBrowser, false},
  /* 2*/ {"c:\\program files (x86)\\microsoft\\edge\\application\\msedge.exe", "msedge.exe", "explorer.exe",
          "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --type=utility --utility-sub-type=network.mojom.NetworkService --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=2392 --field-trial-handle=2136,i,4466208126911102338,6513735386911233290,262144 /prefetch:3",
          "Microsoft Edge", 4052248, kBrowser, false},
  /* 3*/ {"c:\\program files\\microsoft office\\root\\office16\\winword.exe", "winword.exe", "explorer.exe",
          "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE\" /n /dde",
          "Microsoft Word", 1637736, kOffice, false},
  /* 4*/ {"c:\\program files\\microsoft office\\root\\office16\\excel.exe", "excel.exe", "explorer.exe",
          "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE\" /dde",
          "Microsoft Excel", 66185072, kOffice, false},
  /* 5*/ {"c:\\program files\\microsoft office\\root\\office16\\powerpnt.exe", "powerpnt.exe", "explorer.exe",
          "\"C:\\Program Files\\Microsoft Office\\Root\\Office16\\POWERPNT.EXE\" /n /dde",
          "Microsoft PowerPoint", 1893232, kOffice, false},
  /* 6*/ {"c:\\program files\\microsoft office\\root\\office16\\outlook.exe", "outlook.exe", "explorer.exe",
          "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" ",
          "Microsoft Outlook", 43471712, kOutlook, false},
  /* 7*/ {"c:\\program files\\microsoft onedrive\\onedrive.exe", "onedrive.exe", "explorer.exe",
          "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background",
          "Microsoft OneDrive", 3523432, kOneDrive, false},
  /* 8*/ {"c:\\program files\\windowsapps\\msteams_24033.811.2738.2546_x64__8wekyb3d8bbwe\\ms-teams.exe", "ms-teams.exe", "explorer.exe",
          "\"C:\\Program Files\\WindowsApps\\MSTeams_24033.811.2738.2546_x64__8wekyb3d8bbwe\\ms-teams.exe\" msteams:system-initiated",
          "Microsoft Teams", 2412936, kTeams, false},
  /* 9*/ {"c:\\program files\\adobe\\acrobat dc\\acrobat\\acrobat.exe", "acrobat.exe", "explorer.exe",
          "\"C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe\" ",
          "Adobe Acrobat", 6853440, kOffice, false},
  /*10*/ {"c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe", "powershell.exe", "explorer.exe",
          "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -ExecutionPolicy Bypass",
          "Windows PowerShell", 455680, kUserDocs, false},
  /*11*/ {"c:\\windows\\system32\\cmd.exe", "cmd.exe", "explorer.exe", "\"C:\\Windows\\system32\\cmd.exe\" ",
          "Windows Command Processor", 323584, kUserDocs, false},
  /*12*/ {"c:\\windows\\system32\\robocopy.exe", "robocopy.exe", "cmd.exe",
          "robocopy  \"C:\\Users\\Public\\Documents\" \"\\\\fs01.corp.contoso.com\\backup\" /E /Z /R:1 /W:1",
          "Microsoft Robocopy", 140288, kUserDocs, false},
  /*13*/ {"c:\\program files\\7-zip\\7zfm.exe", "7zfm.exe", "explorer.exe", "\"C:\\Program Files\\7-Zip\\7zFM.exe\" ",
          "7-Zip File Manager", 969216, kUserDocs, false},
  /*14*/ {"c:\\windows\\system32\\svchost.exe", "svchost.exe", "services.exe", "svchost.exe -k netsvcs -p -s Schedule",
          "Host Process for Windows Services", 57360, kSystem, true},
  /*15*/ {"c:\\programdata\\microsoft\\windows defender\\platform\\4.18.24030.9-0\\msmpeng.exe", "msmpeng.exe", "services.exe",
          "\"C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.24030.9-0\\MsMpEng.exe\"",
          "Antimalware Service Executable", 133576, kSystem, true},
  /*16*/ {"c:\\windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.3230_none_5b8e7f1e2f4e2a2f\\tiworker.exe", "tiworker.exe", "svchost.exe",
          "C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.22621.3230_none_5b8e7f1e2f4e2a2f\\TiWorker.exe -Embedding",
          "Windows Modules Installer Worker", 247096, kSystem, true},
  /*17*/ {"c:\\windows\\system32\\searchprotocolhost.exe", "searchprotocolhost.exe", "searchindexer.exe",
          "\"C:\\Windows\\system32\\SearchProtocolHost.exe\" Global\\UsGthrFltPipeMssGthrPipe_S-1-5-21-1853292631-2 Global\\UsGthrCtrlFltPipeMssGthrPipe_S-1-5-21 1 -2147483646 \"Software\\Microsoft\\Windows Search\" \"Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)\" \"C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc\" \"DownLevelDaemon\"",
          "Microsoft Windows Search Protocol Host", 405504, kSystem, true},
  /*18*/ {"c:\\program files\\windows defender advanced threat protection\\mssense.exe", "mssense.exe", "services.exe",
          "\"MsSense.exe\"", "Windows Defender Advanced Threat Protection Service Executable", 6041448, kSystem, true},
}};
// clang-format on
constexpr int kExplorer = 0, kChrome = 1, kEdge = 2, kExcel = 4, kSvchost = 14;
constexpr std::array<u32, 14> kUserProcWeights = {14, 10, 8, 9, 9, 5, 8, 10, 4, 3, 2, 1, 1, 1};
constexpr std::array<u32, 5> kSysProcWeights = {8, 6, 3, 4, 3};
// Copy tools used by planted chains: explorer, robocopy, powershell, 7zFM, cmd.
constexpr std::array<int, 5> kCopyTools = {0, 12, 10, 13, 11};
constexpr std::array<u32, 5> kCopyToolWeights = {10, 3, 3, 2, 2};

constexpr std::array<string_view, 4> kFileActions = {"FileCreated", "FileRenamed", "FileModified",
                                                     "FileDeleted"};
constexpr std::array<u32, 4> kFileActionWeights = {40, 10, 35, 15};
enum : int { kCreated = 0, kRenamed = 1, kModified = 2, kDeleted = 3 };

struct UsbProduct {
  string_view manufacturer, product;
};
constexpr std::array<UsbProduct, 8> kUsbProducts = {{{"Kingston", "DataTraveler 3.0"},
                                                     {"SanDisk", "Ultra USB 3.0"},
                                                     {"SanDisk", "Cruzer Blade"},
                                                     {"WD", "Elements 2620"},
                                                     {"Seagate", "Expansion HDD"},
                                                     {"Samsung", "Flash Drive FIT"},
                                                     {"Verbatim", "STORE N GO"},
                                                     {"Generic", "Mass Storage Device"}}};

constexpr std::array<string_view, 13> kOtherAlertNames = {
    "Mass delete by a single user",
    "Suspicious inbox manipulation rule",
    "Unusual file deletion activity",
    "Ransomware activity",
    "Activity from anonymous IP addresses",
    "Multiple failed user log on attempts",
    "Unusual addition of credentials to an OAuth app",
    "Activity from infrequent country",
    "Impossible travel activity",
    "Suspicious email forwarding activity",
    "Mass share by a single user",
    "Unusual file download (by user)",
    "Multiple delete VM activities"};

constexpr string_view kMassDownload = "Mass download by a single user";

// ------------------------------------------------------------------------------------------
// The world
// ------------------------------------------------------------------------------------------

enum class AlertKind {
  Chain,
  Resolved,
  EarlyCopy,
  CaseMismatch,
  MountBefore,
  WrongLetter,
  DownloadsAfter,
  AlertOnly,
  Orphan,
  Other
};
constexpr std::array<AlertKind, 6> kDecoyKinds = {
    AlertKind::Resolved,    AlertKind::EarlyCopy,   AlertKind::CaseMismatch,
    AlertKind::MountBefore, AlertKind::WrongLetter, AlertKind::DownloadsAfter};

string_view kind_name(AlertKind k) {
  switch (k) {
  case AlertKind::Chain:
    return "chain";
  case AlertKind::Resolved:
    return "decoy-resolved";
  case AlertKind::EarlyCopy:
    return "decoy-copies-before-alert";
  case AlertKind::CaseMismatch:
    return "decoy-upn-case-mismatch";
  case AlertKind::MountBefore:
    return "decoy-mount-before-alert";
  case AlertKind::WrongLetter:
    return "decoy-wrong-drive-letter";
  case AlertKind::DownloadsAfter:
    return "decoy-downloads-after-alert";
  case AlertKind::AlertOnly:
    return "alert-only";
  case AlertKind::Orphan:
    return "orphan-alert";
  case AlertKind::Other:
    return "other";
  }
  return "?";
}

struct User {
  string upn;      // on devices (lower case)
  string cloud_id; // RawEventData.UserId
  string local;    // avery.lee
  string acct;     // averylee
  string display;  // Avery Lee
  string domain;   // contoso.com
  string oid;      // AAD object id
  string sid;
  string puid; // 1003...
  string home_ip;
  Place home;
  int alert = -1; // index of the user's planted mass-download alert
};

struct SchedFile {
  i64 t;
  int action;
  int proc;
  string name, folder, origin_url;
  bool planted; // part of an alert scenario (used by expected_findings)
};

enum : int { kEvPnp = 0, kEvMount = 1, kEvUnmount = 2 };
struct SchedEvent {
  i64 t;
  int kind;
  string letter;
  int product;
  u64 vol_a, vol_b, serial;
};

struct Device {
  string id, name;
  string_view group;
  u32 user = 0;
  i64 alert_time = kNever; // the owner's mass-download alert time (alerted owners only)
  int forbid_proc = -1;    // guard B2
  i64 forbid_until = 0;
  std::vector<SchedFile> files;
  std::vector<SchedEvent> events;
  size_t fcur = 0, ecur = 0;
};

struct SchedCloud {
  i64 t;
  u32 name;
  int alert;
};

struct Alert {
  i64 t = 0;
  AlertKind kind = AlertKind::Other;
  string name;
  string status = "New";
  u32 user = 0;
  string ip;
  Place place{};
  int app = 0; // 0 SharePoint, 1 OneDrive
  u32 device = 0;
  int ndownloads = 0;
  i64 dl_end = 0;
  int copy_proc = -1;
  string letter; // copy drive letter
  int ncopies = 0;
};

struct TableStats {
  u64 rows = 0, bytes = 0, min = UINT64_MAX, max = 0;
  std::array<u64, 64> hist{}; // 128-byte buckets
  void add(size_t n) {
    ++rows;
    bytes += n;
    min = std::min<u64>(min, n);
    max = std::max<u64>(max, n);
    ++hist[std::min<size_t>(n / 128, hist.size() - 1)];
  }
};

class TableFile {
public:
  TableFile(const std::filesystem::path &path, i64 base_day) {
    f_ = std::fopen(path.string().c_str(), "wb");
    if (f_ == nullptr)
      throw std::runtime_error(fmt::format("cannot create {}", path.string()));
    out.base_day = base_day;
    out.s.reserve(kFlush + (1 << 20));
  }
  ~TableFile() {
    if (f_ != nullptr)
      std::fclose(f_);
  }
  TableFile(const TableFile &) = delete;
  TableFile &operator=(const TableFile &) = delete;

  size_t begin() const { return out.s.size(); }
  void end(size_t start) {
    out.s.push_back('\n');
    stats.add(out.s.size() - start);
    if (out.s.size() >= kFlush)
      flush();
  }
  void flush() {
    if (!out.s.empty() && std::fwrite(out.s.data(), 1, out.s.size(), f_) != out.s.size())
      throw std::runtime_error("write failed");
    out.s.clear();
  }
  void close() {
    flush();
    if (std::fclose(f_) != 0)
      throw std::runtime_error("close failed");
    f_ = nullptr;
  }

  Out out;
  TableStats stats;

private:
  static constexpr size_t kFlush = 8u << 20;
  std::FILE *f_ = nullptr;
};

struct Options {
  u32 devices = 20;
  u32 users = 20;
  u64 seed = 1;
  string out;
  string date = "2026-03-10";
  u32 file_events = 2000;
  u32 device_events = 800;
  u32 cloud_events = 150;
  bool histogram = false;
  u32 chains = 0; // 0: one a hundred users
};

constexpr std::array<u32, 24> kHourWeights = {1, 1,  1,  1,  1,  2, 4, 7, 10, 11, 11, 10,
                                              8, 10, 11, 11, 10, 8, 5, 3, 2,  2,  1,  1};

class Generator {
public:
  explicit Generator(const Options &o) : opt_(o) {}

  void build();
  void write(const std::filesystem::path &dir);
  int expected_findings() const;
  void print_summary() const;

private:
  // world building
  void build_pool();
  void build_users();
  void build_devices();
  void plan_alerts();
  void plan_scenario(Alert &a, Rng &r);
  void plan_mounts();
  void add_mount(Device &d, i64 t, i64 t_unmount, string_view letter, Rng &r);

  // row emitters
  void file_row(TableFile &tf, const Device &d, Rng &r, i64 t, int action, int proc,
                string_view name, string_view folder, string_view prev_name,
                string_view prev_folder, string_view origin_url);
  void background_file_row(TableFile &tf, const Device &d, Rng &r, i64 t);
  void device_event_row(TableFile &tf, const Device &d, Rng &r, i64 t, const SchedEvent *ev);
  void cloud_row(TableFile &tf, const User &u, Rng &r, i64 t, string_view action, string_view name,
                 string_view ip, const Place &place, int app);
  void alert_row(TableFile &tf, const Alert &a, Rng &r);

  void noise_name(Rng &r, string &out, bool system);
  void user_folder(Rng &r, const User &u, FolderKind kind, bool pool_name, string &out);
  void process_fields(Out &o, const Device &d, const User &u, int proc, i64 t);

  static u32 hourly_count(u64 h, u32 total, int hour);

  const Options &opt_;
  i64 base_day_ = 0;
  u64 seed_ = 0;
  string tenant_;
  std::vector<string> pool_;
  std::vector<User> users_;
  std::vector<Device> devices_;
  std::vector<Alert> alerts_;
  std::vector<std::vector<SchedCloud>> cloud_sched_;
  u32 chains_ = 0;
  std::array<std::unique_ptr<TableFile>, 4> tables_;
  // scratch
  string name_, folder_, prev_name_, prev_folder_, url_, tmp_;
  Out af_; // nested JSON built before being written as a string
};

string guid_string(u64 a, u64 b) {
  Out o;
  o.guid_raw(a, b);
  return std::move(o.s);
}

// ------------------------------------------------------------------------------------------
// World building
// ------------------------------------------------------------------------------------------

void Generator::build_pool() {
  std::unordered_set<string> seen;
  for (size_t di = 0; di < kDecorations.size(); ++di) {
    for (size_t bi = 0; bi < kBases.size(); ++bi) {
      const u64 h = hash_of(0x9001, bi, di); // fixed: the pool does not depend on the seed
      string_view ext = kBases[bi].ext;
      if (di != 0 && h % 10 < 3)
        ext = kAltExt[(h >> 8) % kAltExt.size()];
      string n = fmt::format("{}{}.{}", kBases[bi].base, kDecorations[di], ext);
      if (seen.insert(n).second)
        pool_.push_back(std::move(n));
    }
  }
}

void Generator::build_users() {
  users_.resize(opt_.users);
  for (u32 i = 0; i < opt_.users; ++i) {
    User &u = users_[i];
    const u32 a = i % 64;
    const u32 b = (i / 64 % 64 + a * 5) % 64;
    const u32 gen = i / 4096;
    u.local = fmt::format("{}.{}", kFirst[a], kLast[b]);
    if (gen > 0)
      u.local += fmt::format("{}", gen + 1);
    u.acct = fmt::format("{}{}", kFirst[a], kLast[b]);
    string fa(kFirst[a]), lb(kLast[b]);
    fa[0] = static_cast<char>(fa[0] - 'a' + 'A');
    lb[0] = static_cast<char>(lb[0] - 'a' + 'A');
    u.display = fa + " " + lb;
    const u64 h = hash_of(seed_, 0x5553, i);
    u.domain = h % 10 == 0 ? "fabrikam.com" : "contoso.com";
    u.upn = u.local + "@" + u.domain;
    u.cloud_id = u.upn;
    u.oid = guid_string(hash_of(seed_, 0x4F49, i), hash_of(seed_, 0x4F4A, i));
    const u64 s = hash_of(seed_, 0x5349, i);
    u.sid = fmt::format("S-1-12-1-{}-{}-{}-{}", s & 0xffffffff, (s >> 32) & 0x7fffffff,
                        hash_of(s, 1) & 0xffffffff, hash_of(s, 2) & 0xffffffff);
    u.puid = fmt::format("1003{:012x}", hash_of(seed_, 0x5055, i) & 0xffffffffffffull);
    u.home = kHomePlaces[(h >> 8) % kHomePlaces.size()];
    // Usual client IPs: 52.96.0.0/11-ish, one per user. Never in 198.51.x / 192.0.2.x.
    u.home_ip = fmt::format("52.{}.{}.{}", 96 + i % 32, (i / 32) % 256, 1 + (i / 8192) % 250);
  }
}

void Generator::build_devices() {
  devices_.resize(opt_.devices);
  for (u32 i = 0; i < opt_.devices; ++i) {
    Device &d = devices_[i];
    const u64 h = hash_of(seed_, 0x4445, i);
    const u64 h2 = hash_of(seed_, 0x4446, i);
    Out o;
    o.hex(h, 16);
    o.hex(h2, 16);
    o.hex(hash_of(seed_, 0x4447, i), 8);
    d.id = std::move(o.s);
    switch (i % 4) {
    case 0:
      d.name = fmt::format("ws-{:05}.corp.contoso.com", i + 100);
      break;
    case 1:
      d.name = fmt::format("lt-{:05}.corp.contoso.com", i + 100);
      break;
    case 2:
      d.name = fmt::format("DESKTOP-{:05X}{}", (h2 >> 20) & 0xfffff, i);
      break;
    default:
      d.name = fmt::format("lt-{:05}.eu.fabrikam.com", i + 100);
      break;
    }
    d.group = kMachineGroups[(h >> 40) % kMachineGroups.size()];
    d.user = i % opt_.users;
  }
}

// Spread `total` events over 24 hours with kHourWeights; deterministic stochastic rounding.
u32 Generator::hourly_count(u64 h, u32 total, int hour) {
  u32 wsum = 0;
  for (u32 w : kHourWeights)
    wsum += w;
  const u64 scaled = static_cast<u64>(total) * kHourWeights[static_cast<size_t>(hour)];
  const u64 whole = scaled / wsum;
  const u64 frac = scaled % wsum;
  return static_cast<u32>(whole + (hash_of(h, hour) % wsum < frac ? 1 : 0));
}

void Generator::add_mount(Device &d, i64 t, i64 t_unmount, string_view letter, Rng &r) {
  SchedEvent e{};
  e.product = static_cast<int>(r.below(kUsbProducts.size()));
  e.vol_a = r.bits();
  e.vol_b = r.bits();
  e.serial = r.bits();
  e.letter = string(letter);
  e.kind = kEvPnp;
  e.t = t - r.range(kSec, 3 * kSec);
  d.events.push_back(e);
  e.kind = kEvMount;
  e.t = t;
  d.events.push_back(e);
  if (t_unmount < kDay) {
    e.kind = kEvUnmount;
    e.t = t_unmount;
    d.events.push_back(e);
  }
}

void Generator::plan_scenario(Alert &a, Rng &r) {
  User &u = users_[a.user];
  Device &dev = devices_[a.device];

  // Downloads from the alert's IP.
  a.ndownloads = 25 + static_cast<int>(r.below(36));
  const i64 dl_start = a.t - r.range(35 * kMin, 75 * kMin);
  i64 dl_end = a.t - r.range(2 * kMin, 8 * kMin);
  if (a.kind == AlertKind::DownloadsAfter)
    dl_end = a.t + r.range(3 * kMin, 15 * kMin);
  std::vector<i64> times(static_cast<size_t>(a.ndownloads));
  for (auto &t : times)
    t = r.range(dl_start, dl_end);
  std::sort(times.begin(), times.end());
  times.back() = dl_end; // the group's end time is exactly dl_end
  a.dl_end = dl_end;
  std::vector<u32> names;
  const int browser = r.chance(1, 2) ? kChrome : kEdge;
  auto &cs = cloud_sched_[a.user];
  for (i64 t : times) {
    const u32 n = r.skewed(static_cast<u32>(pool_.size()));
    names.push_back(n);
    cs.push_back({t, n, static_cast<int>(&a - alerts_.data())});
    // The browser saves the file: a FileCreated under Downloads that starts before the alert.
    SchedFile f;
    f.t = t + r.range(kSec, 6 * kSec);
    f.action = kCreated;
    f.proc = browser;
    f.name = pool_[n];
    f.folder = "C:\\Users\\" + u.local + "\\Downloads";
    f.origin_url = fmt::format("https://contoso{}.sharepoint.com/sites/{}/Shared Documents/{}",
                               a.app == 1 ? "-my" : "", kDepts[n % kDepts.size()], pool_[n]);
    f.planted = true;
    dev.files.push_back(std::move(f));
  }
  if (a.kind == AlertKind::AlertOnly)
    return;

  // Copies to the drive.
  std::vector<u32> distinct = names;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  for (size_t i = distinct.size(); i > 1; --i) // shuffle
    std::swap(distinct[i - 1], distinct[r.below(static_cast<u32>(i))]);
  a.ncopies = static_cast<int>(std::min<size_t>(distinct.size(), 5 + r.below(16)));
  a.copy_proc = kCopyTools[r.weighted(kCopyToolWeights)];
  a.letter = r.chance(7, 10) ? "E:" : "F:";
  static constexpr std::array<string_view, 7> kDriveFolders = {
      "", "Backup\\", "Docs\\", "New folder\\", "work\\", "transfer\\", "2026\\"};
  const string_view sub = r.pick(kDriveFolders);
  string copy_letter = a.letter;
  if (a.kind == AlertKind::WrongLetter)
    copy_letter = "G:";

  i64 mount = a.t + r.range(2 * kMin, 40 * kMin);
  i64 copy_start = mount + r.range(15 * kSec, 90 * kSec);
  if (a.kind == AlertKind::MountBefore) {
    mount = a.t - r.range(5 * kMin, 15 * kMin);
    copy_start = a.t + r.range(kMin, 20 * kMin);
  }
  if (a.kind == AlertKind::EarlyCopy) {
    mount = a.t - r.range(20 * kMin, 30 * kMin);
    copy_start = mount + r.range(kMin, 2 * kMin);
  }
  std::vector<i64> copy_times(static_cast<size_t>(a.ncopies));
  i64 t = copy_start;
  for (auto &ct : copy_times) {
    ct = t;
    t += r.range(3 * kSec, 90 * kSec);
  }
  if (a.kind == AlertKind::EarlyCopy) {
    // First half before the alert, second half after a re-mount after the alert.
    const size_t half = std::max<size_t>(1, copy_times.size() / 2);
    const i64 remount = a.t + r.range(3 * kMin, 10 * kMin);
    i64 tt = mount + r.range(kMin, 2 * kMin);
    for (size_t i = 0; i < half; ++i) {
      copy_times[i] = tt;
      tt += r.range(3 * kSec, 40 * kSec);
    }
    add_mount(dev, mount, std::min(a.t - r.range(kSec, 20 * kSec), tt + kMin), a.letter, r);
    tt = remount + r.range(20 * kSec, 60 * kSec);
    for (size_t i = half; i < copy_times.size(); ++i) {
      copy_times[i] = tt;
      tt += r.range(3 * kSec, 40 * kSec);
    }
    add_mount(dev, remount, tt + r.range(kMin, 20 * kMin), a.letter, r);
  } else {
    add_mount(dev, mount, std::max(mount, copy_times.back()) + r.range(kMin, 20 * kMin),
              a.kind == AlertKind::WrongLetter ? "E:" : string_view(a.letter), r);
  }
  for (size_t i = 0; i < copy_times.size(); ++i) {
    SchedFile f;
    f.t = copy_times[i];
    f.action = kCreated;
    f.proc = a.copy_proc;
    f.name = pool_[distinct[i]];
    f.folder = copy_letter + "\\" + string(sub);
    if (!f.folder.empty() && f.folder.back() == '\\')
      f.folder.pop_back();
    f.planted = true;
    dev.files.push_back(std::move(f));
  }
  // Guard B2.
  dev.forbid_proc = a.copy_proc;
  dev.forbid_until = a.t;
}

void Generator::plan_alerts() {
  Rng r(hash_of(seed_, 0x504C414E));
  const u32 eligible = std::min(opt_.devices, opt_.users); // users 0..eligible-1 own a device
  std::vector<u32> order(eligible);
  for (u32 i = 0; i < eligible; ++i)
    order[i] = i;
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[r.below(static_cast<u32>(i))]);

  const u32 k = opt_.chains > 0 ? opt_.chains : std::max<u32>(1, opt_.users / 100);
  // With --chains, decoys and alert-only scenarios stay at the default mix's number, so that
  // many chains fit in the users that own a device (kinds beyond them are dropped below).
  const u32 k_mix = opt_.chains > 0 ? std::max<u32>(1, opt_.users / 100) : k;
  const u32 ndecoys = std::max<u32>(static_cast<u32>(kDecoyKinds.size()), k_mix);
  const u32 nonly = std::max<u32>(1, k_mix / 2);
  std::vector<AlertKind> kinds;
  for (u32 i = 0; i < k; ++i)
    kinds.push_back(AlertKind::Chain);
  for (u32 i = 0; i < ndecoys; ++i)
    kinds.push_back(kDecoyKinds[i % kDecoyKinds.size()]);
  for (u32 i = 0; i < nonly; ++i)
    kinds.push_back(AlertKind::AlertOnly);
  if (kinds.size() > eligible)
    kinds.resize(eligible);

  for (size_t i = 0; i < kinds.size(); ++i) {
    Alert a;
    a.kind = kinds[i];
    a.user = order[i];
    a.device = a.user; // the user's first device
    a.name = string(kMassDownload);
    a.status = a.kind == AlertKind::Resolved ? "Resolved" : (r.chance(1, 3) ? "InProgress" : "New");
    a.t = 8 * kHour + r.range(0, 9 * kHour);
    // 198.51.100.1 onwards; past 37,500 alerts the second octet grows (the IPs stay distinct).
    a.ip = fmt::format("198.{}.{}.{}", 51 + i / 37'500, 100 + (i / 250) % 150, 1 + i % 250);
    a.place = r.pick(kOddPlaces);
    a.app = r.chance(2, 3) ? 0 : 1;
    if (a.kind == AlertKind::Chain)
      ++chains_;
    alerts_.push_back(std::move(a));
  }
  for (size_t i = 0; i < alerts_.size(); ++i) {
    Alert &a = alerts_[i];
    User &u = users_[a.user];
    u.alert = static_cast<int>(i);
    if (a.kind == AlertKind::CaseMismatch) {
      // "Avery.Lee@Contoso.com": the device UPN stays lower case.
      u.cloud_id = u.upn;
      u.cloud_id[0] = static_cast<char>(u.cloud_id[0] - 'a' + 'A');
      const size_t dot = u.cloud_id.find('.');
      if (dot + 1 < u.cloud_id.size() && u.cloud_id[dot + 1] >= 'a' && u.cloud_id[dot + 1] <= 'z')
        u.cloud_id[dot + 1] = static_cast<char>(u.cloud_id[dot + 1] - 'a' + 'A');
      const size_t at = u.cloud_id.find('@');
      u.cloud_id[at + 1] = static_cast<char>(u.cloud_id[at + 1] - 'a' + 'A');
    }
    for (u32 d = a.user; d < opt_.devices; d += opt_.users)
      devices_[d].alert_time = a.t;
    plan_scenario(a, r);
  }

  // Orphan mass-download alerts: an IP (192.0.2.x) that no download uses.
  const u32 norphans = std::max<u32>(1, k / 3);
  for (u32 i = 0; i < norphans; ++i) {
    Alert a;
    a.kind = AlertKind::Orphan;
    a.user = r.below(opt_.users);
    a.name = string(kMassDownload);
    a.t = r.range(6 * kHour, 20 * kHour);
    a.ip = fmt::format("192.0.2.{}", 1 + i % 250);
    a.place = r.pick(kOddPlaces);
    alerts_.push_back(std::move(a));
  }
  // Other alert names, for random users, sometimes on a planted alert's IP.
  const u32 nother = std::max<u32>(6, opt_.users / 20);
  const size_t nplanted = alerts_.size();
  for (u32 i = 0; i < nother; ++i) {
    Alert a;
    a.kind = AlertKind::Other;
    a.name = string(r.pick(kOtherAlertNames));
    a.status = r.chance(1, 4) ? "Resolved" : "New";
    a.t = r.range(0, kDay);
    if (nplanted > 0 && r.chance(1, 4)) {
      const Alert &p = alerts_[r.below(static_cast<u32>(nplanted))];
      a.user = p.user;
      a.ip = p.ip;
      a.place = p.place;
    } else {
      a.user = r.below(opt_.users);
      a.ip = users_[a.user].home_ip;
      a.place = users_[a.user].home;
    }
    alerts_.push_back(std::move(a));
  }
}

void Generator::plan_mounts() {
  static constexpr std::array<string_view, 4> kLetters = {"D:", "E:", "F:", "G:"};
  static constexpr std::array<u32, 4> kLetterWeights = {3, 5, 3, 1};
  static constexpr std::array<string_view, 2> kSafeLetters = {"D:", "H:"};
  for (u32 di = 0; di < opt_.devices; ++di) {
    Device &d = devices_[di];
    const User &u = users_[d.user];
    const bool alerted = u.alert >= 0;
    Rng r(hash_of(seed_, 0x4D4F554E, di));
    const u32 expected = opt_.device_events / 100; // ~1% of DeviceEvents
    const u32 n = expected == 0 ? r.below(2) : expected / 2 + r.below(expected + 1);
    for (u32 i = 0; i < n; ++i) {
      const i64 t = r.range(6 * kHour, 21 * kHour);
      string_view letter = kLetters[r.weighted(kLetterWeights)];
      if (alerted && t >= d.alert_time)
        letter = r.pick(kSafeLetters); // guard B3
      const i64 t_unmount = t + r.range(3 * kMin, 120 * kMin);
      add_mount(d, t, t_unmount, letter, r);
      if (!alerted && r.chance(2, 5)) { // removable copies of common names (guard B1)
        const u32 ncopy = 1 + r.below(8);
        i64 ct = t + r.range(20 * kSec, 3 * kMin);
        static constexpr std::array<string_view, 5> kSub = {"", "\\Backup", "\\Docs", "\\work",
                                                            "\\Photos"};
        const string_view sub = r.pick(kSub);
        for (u32 c = 0; c < ncopy && ct < t_unmount; ++c) {
          SchedFile f;
          f.t = ct;
          f.action = r.chance(9, 10) ? kCreated : kRenamed;
          f.proc = kExplorer;
          f.name = pool_[r.skewed(static_cast<u32>(pool_.size()))];
          f.folder = string(letter) + string(sub);
          f.planted = false;
          d.files.push_back(std::move(f));
          ct += r.range(2 * kSec, 2 * kMin);
        }
      }
    }
  }
  for (Device &d : devices_) {
    std::stable_sort(d.files.begin(), d.files.end(),
                     [](const SchedFile &a, const SchedFile &b) { return a.t < b.t; });
    std::stable_sort(d.events.begin(), d.events.end(),
                     [](const SchedEvent &a, const SchedEvent &b) { return a.t < b.t; });
  }
  for (auto &v : cloud_sched_)
    std::stable_sort(v.begin(), v.end(),
                     [](const SchedCloud &a, const SchedCloud &b) { return a.t < b.t; });
}

void Generator::build() {
  i64 y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(opt_.date.c_str(), "%4ld-%2u-%2u", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 ||
      d > 31)
    throw std::runtime_error("--date must be YYYY-MM-DD");
  base_day_ = days_from_civil(y, m, d);
  {
    i64 yy = 0;
    unsigned mm = 0, dd = 0;
    civil_from_days(base_day_, yy, mm, dd);
    if (yy != y || mm != m || dd != d)
      throw std::runtime_error("--date is not a real day");
  }
  seed_ = splitmix(opt_.seed ^ 0x75736265786669ull);
  tenant_ = guid_string(hash_of(seed_, 0x54454E), hash_of(seed_, 0x54454F));
  build_pool();
  build_users();
  build_devices();
  cloud_sched_.resize(opt_.users);
  plan_alerts();
  plan_mounts();
}

// ------------------------------------------------------------------------------------------
// The finding count: the rule's stages over the planted rows and every mount
// ------------------------------------------------------------------------------------------

bool iequal_prefix(string_view s, string_view prefix) {
  if (prefix.size() > s.size())
    return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    auto lo = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lo(s[i]) != lo(prefix[i]))
      return false;
  }
  return true;
}

string ascii_lower(string_view s) {
  string r(s);
  for (char &c : r)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c + 32);
  return r;
}

int Generator::expected_findings() const {
  // Stage 1-3: alerts kept (name, status), each joined to its one download group, kept when
  // the group ends at or before the alert. Orphans have no download group; others are not
  // "Mass download" alerts.
  struct Row {
    i64 t;
    string user_id;
  };
  std::vector<Row> stage3;
  std::set<string> file_list; // lower-cased
  for (const Alert &a : alerts_) {
    if (a.name != kMassDownload || a.status == "Resolved")
      continue;
    if (a.kind == AlertKind::Orphan || a.kind == AlertKind::Other)
      continue;
    if (a.dl_end > a.t)
      continue;
    stage3.push_back({a.t, users_[a.user].cloud_id});
    for (const SchedCloud &c : cloud_sched_[a.user])
      if (&alerts_[static_cast<size_t>(c.alert)] == &a)
        file_list.insert(ascii_lower(pool_[c.name]));
  }
  // Stage 4: scheduled FileCreated/FileRenamed rows whose name is in the file list, grouped by
  // (UPN, device, process). Background rows cannot change these groups' start times (B2) and
  // have no drive-letter paths, so they cannot add findings.
  struct Group {
    i64 start = kNever;
    std::vector<string> paths;
  };
  int findings = 0;
  for (const Row &row : stage3) {
    for (u32 di = 0; di < opt_.devices; ++di) {
      const Device &d = devices_[di];
      if (users_[d.user].upn != row.user_id)
        continue; // the join is case-sensitive
      std::map<int, Group> groups;
      for (const SchedFile &f : d.files) {
        if (f.action != kCreated && f.action != kRenamed)
          continue;
        if (!file_list.contains(ascii_lower(f.name)))
          continue;
        Group &g = groups[f.proc];
        g.start = std::min(g.start, f.t);
        g.paths.push_back(f.folder + "\\" + f.name);
      }
      for (const auto &[proc, g] : groups) {
        if (g.start < row.t)
          continue;
        // Stage 5-6: every mount on the device at or after the alert whose letter prefixes
        // at least one path of the group is one finding.
        for (const SchedEvent &e : d.events) {
          if (e.kind != kEvMount || e.t < row.t || e.letter.empty())
            continue;
          const bool any = std::any_of(g.paths.begin(), g.paths.end(),
                                       [&](const string &p) { return iequal_prefix(p, e.letter); });
          if (any)
            ++findings;
        }
      }
    }
  }
  return findings;
}

// ------------------------------------------------------------------------------------------
// Row emitters
// ------------------------------------------------------------------------------------------

void Generator::noise_name(Rng &r, string &out, bool system) {
  out.clear();
  Out o;
  o.s.swap(out);
  if (system) {
    switch (r.below(8)) {
    case 0:
      o.lit("MpCmdRun.log");
      break;
    case 1:
      o.lit("edb");
      o.hex(r.bits(), 5);
      o.lit(".log");
      break;
    case 2:
      o.lit("MPLog-20260310-");
      o.num(100000 + r.below(900000));
      o.lit(".log");
      break;
    case 3:
      o.hex(r.bits(), 16);
      o.hex(r.bits(), 16);
      o.lit(".cab");
      break;
    case 4:
      o.lit("tmp");
      o.hex(r.bits(), 4);
      o.lit(".tmp");
      break;
    case 5:
      o.lit("SRUDB.dat");
      break;
    case 6:
      o.lit("Diagnosis_");
      o.hex(r.bits(), 8);
      o.lit(".etl");
      break;
    default:
      o.lit("CbsPersist_20260310");
      o.num(r.below(999999));
      o.lit(".log");
      break;
    }
  } else {
    switch (r.below(9)) {
    case 0:
      o.lit("~$");
      o.lit(pool_[r.skewed(static_cast<u32>(pool_.size()))]);
      break;
    case 1:
      o.lit("~WRL");
      o.hex(r.bits(), 4);
      o.lit(".tmp");
      break;
    case 2:
      o.lit("f_");
      o.hex(r.bits(), 6);
      break;
    case 3:
      o.lit("thumbcache_");
      o.num(16u << r.below(6));
      o.lit(".db");
      break;
    case 4:
      o.lit("desktop.ini");
      break;
    case 5:
      o.lit("Cookies-journal");
      break;
    case 6:
      o.lit(pool_[r.skewed(static_cast<u32>(pool_.size()))]);
      o.lit(".lnk");
      break;
    case 7:
      o.lit("index.dat");
      break;
    default:
      o.lit("tmp");
      o.hex(r.bits(), 4);
      o.lit(".tmp");
      break;
    }
  }
  out.swap(o.s);
}

void Generator::user_folder(Rng &r, const User &u, FolderKind kind, bool pool_name, string &out) {
  out.assign("C:\\Users\\");
  out.append(u.local);
  auto project = [&] { return kProjects[r.below(kProjects.size())]; };
  switch (kind) {
  case kBrowser:
    if (pool_name) {
      out.append("\\Downloads");
    } else {
      out.append("\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data");
    }
    return;
  case kOutlook: {
    out.append("\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\");
    const u64 b = r.bits();
    for (int i = 0; i < 8; ++i)
      out.push_back("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[(b >> (i * 6)) % 36]);
    return;
  }
  case kOneDrive:
    out.append(u.domain == "contoso.com" ? "\\OneDrive - Contoso" : "\\OneDrive - Fabrikam");
    switch (r.below(3)) {
    case 0:
      out.append("\\Documents");
      break;
    case 1:
      out.append("\\Desktop");
      break;
    default:
      out.append("\\Shared\\");
      out.append(project());
      break;
    }
    return;
  case kTeams:
    if (r.chance(1, 2)) {
      out.append("\\Downloads");
    } else {
      out.append("\\AppData\\Local\\Packages\\MSTeams_8wekyb3d8bbwe\\LocalCache\\Microsoft\\"
                 "MSTeams\\Logs");
    }
    return;
  case kOffice:
    if (!pool_name) {
      out.append(r.chance(1, 2) ? "\\AppData\\Local\\Temp"
                                : "\\AppData\\Roaming\\Microsoft\\Office\\Recent");
      return;
    }
    [[fallthrough]];
  case kUserDocs:
  default:
    switch (r.below(9)) {
    case 0:
    case 1:
      out.append("\\Documents");
      break;
    case 2:
      out.append("\\Desktop");
      break;
    case 3:
      out.append("\\Downloads");
      break;
    case 4:
      out.append("\\Documents\\Projects\\");
      out.append(project());
      break;
    case 5:
      out.append("\\OneDrive - Contoso\\Documents");
      break;
    case 6:
      out.append("\\AppData\\Local\\Temp");
      break;
    case 7:
      out.assign("\\\\fs01.corp.contoso.com\\share\\");
      out.append(kDepts[r.below(kDepts.size())]);
      break;
    default:
      out.append("\\Documents\\Archive\\2025");
      break;
    }
    return;
  }
}

// InitiatingProcess* columns shared by DeviceFileEvents and DeviceEvents, from
// InitiatingProcessAccountDomain to InitiatingProcessUniqueId. Process ids and creation times
// are a function of (device, process, 6-hour slot), so rows of one process instance agree.
void Generator::process_fields(Out &o, const Device &d, const User &u, int proc, i64 t) {
  const Proc &p = kProcs[static_cast<size_t>(proc)];
  const i64 slot = p.system ? -1 : floor_div(t, 6 * kHour);
  const u64 h = hash_of(seed_, 0x50494400, &d - devices_.data(), proc, slot);
  const i64 created = (p.system ? -kHour * 20 : slot * 6 * kHour) -
                      static_cast<i64>(h % static_cast<u64>(2 * kHour));
  const u64 hp = hash_of(h, 0x5041);
  const i64 parent_created = created - static_cast<i64>(hp % static_cast<u64>(kHour));
  if (p.system) {
    o.ks("InitiatingProcessAccountDomain", "nt authority");
    o.ks("InitiatingProcessAccountName", "system");
    o.ks("InitiatingProcessAccountSid", "S-1-5-18");
    o.kn("InitiatingProcessAccountUpn");
    o.kn("InitiatingProcessAccountObjectId");
  } else {
    o.ks("InitiatingProcessAccountDomain", "azuread");
    o.ks("InitiatingProcessAccountName", u.acct);
    o.ks("InitiatingProcessAccountSid", u.sid);
    o.ks("InitiatingProcessAccountUpn", u.upn);
    o.ks("InitiatingProcessAccountObjectId", u.oid);
  }
  const u64 ph = hash_of(0x50524F43, proc);
  o.key("InitiatingProcessSHA1");
  o.ch('"');
  o.hex(hash_of(ph, 2), 16);
  o.hex(hash_of(ph, 3), 16);
  o.hex(hash_of(ph, 4), 8);
  o.ch('"');
  o.ks("InitiatingProcessFolderPath", p.folder);
  o.ks("InitiatingProcessFileName", p.file);
  o.ku("InitiatingProcessFileSize", p.size);
  o.ks("InitiatingProcessVersionInfoFileDescription", p.description);
  o.ku("InitiatingProcessId", 4 * (100 + h % 12000));
  o.ks("InitiatingProcessCommandLine", p.cmd);
  o.kt("InitiatingProcessCreationTime", created);
  o.ks("InitiatingProcessIntegrityLevel", p.system ? "System" : "Medium");
  o.ks("InitiatingProcessTokenElevation",
       p.system ? "TokenElevationTypeDefault" : "TokenElevationTypeLimited");
  o.ku("InitiatingProcessParentId", 4 * (100 + hp % 12000));
  o.ks("InitiatingProcessParentFileName", p.parent);
  o.kt("InitiatingProcessParentCreationTime", parent_created);
}

void Generator::file_row(TableFile &tf, const Device &d, Rng &r, i64 t, int action, int proc,
                         string_view name, string_view folder, string_view prev_name,
                         string_view prev_folder, string_view origin_url) {
  const User &u = users_[d.user];
  Out &o = tf.out;
  const size_t start = tf.begin();
  o.lit("{\"TenantId\":");
  o.str(tenant_);
  o.kt("TimeGenerated", t);
  o.kt("Timestamp", t - r.range(kSec / 2, 90 * kSec));
  o.ks("ActionType", kFileActions[static_cast<size_t>(action)]);
  o.ks("DeviceId", d.id);
  o.ks("DeviceName", d.name);
  o.ks("FileName", name);
  o.key("FolderPath");
  o.ch('"');
  o.esc(folder);
  o.lit("\\\\");
  o.esc(name);
  o.ch('"');
  o.khex("SHA1", r, 40);
  if (r.chance(1, 10)) {
    o.kn("SHA256");
  } else {
    o.khex("SHA256", r, 64);
  }
  o.khex("MD5", r, 32);
  if (action == kDeleted) {
    o.kn("FileSize");
  } else {
    const u32 shift = 9 + r.below(17);
    o.ku("FileSize", (u64{1} << shift) + r.below(1u << shift));
  }
  o.ksn("FileOriginUrl", origin_url);
  if (origin_url.empty()) {
    o.kn("FileOriginIP");
  } else {
    o.ks("FileOriginIP", "13.107.136.10");
  }
  if (action == kRenamed) {
    o.key("PreviousFolderPath");
    o.ch('"');
    o.esc(prev_folder);
    o.lit("\\\\");
    o.esc(prev_name);
    o.ch('"');
    o.ks("PreviousFileName", prev_name);
  } else {
    o.ks("PreviousFolderPath", "");
    o.ks("PreviousFileName", "");
  }
  process_fields(o, d, u, proc, t);
  const bool share = folder.size() > 1 && folder[0] == '\\';
  o.ks("RequestProtocol", share ? "SMB" : "Local");
  if (share) {
    o.ks("ShareName", "share");
  } else {
    o.kn("ShareName");
  }
  if (r.chance(1, 8)) {
    o.ks("SensitivityLabel", "Confidential");
  } else {
    o.kn("SensitivityLabel");
  }
  o.ku("ReportId", 1000 + r.below(900000));
  const size_t dot = name.rfind('.');
  if (dot != string_view::npos && r.chance(3, 4)) {
    o.key("AdditionalFields");
    o.lit("\"{\\\"FileType\\\":\\\"");
    string_view ext = name.substr(dot + 1);
    if (!ext.empty()) {
      const char c = ext[0];
      o.ch((c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c);
      o.esc(ext.substr(1));
    }
    o.lit("\\\"}\"");
  } else {
    o.kn("AdditionalFields");
  }
  o.ks("MachineGroup", d.group);
  o.kg("_ItemId", r);
  o.ks("Type", "DeviceFileEvents");
  o.ch('}');
  tf.end(start);
}

void Generator::background_file_row(TableFile &tf, const Device &d, Rng &r, i64 t) {
  const User &u = users_[d.user];
  const bool sys = r.chance(22, 100);
  int proc = sys ? 14 + static_cast<int>(r.weighted(kSysProcWeights))
                 : static_cast<int>(r.weighted(kUserProcWeights));
  if (proc == d.forbid_proc && t < d.forbid_until)
    proc = kExcel; // guard B2
  const int action = static_cast<int>(r.weighted(kFileActionWeights));
  const bool pool_name = sys ? r.chance(15, 100) : r.chance(85, 100);
  if (pool_name) {
    name_ = pool_[r.skewed(static_cast<u32>(pool_.size()))];
    if (r.chance(1, 40)) { // the same name in another case ("REPORT.DOCX")
      for (char &c : name_)
        if (c >= 'a' && c <= 'z')
          c = static_cast<char>(c - 32);
    }
  } else {
    noise_name(r, name_, sys);
  }
  const Proc &p = kProcs[static_cast<size_t>(proc)];
  if (sys) {
    static constexpr std::array<string_view, 6> kSysFolders = {
        "C:\\Windows\\Temp",
        "C:\\ProgramData\\Microsoft\\Windows Defender\\Support",
        "C:\\Windows\\System32\\LogFiles\\WMI",
        "C:\\Windows\\SoftwareDistribution\\Download",
        "C:\\Windows\\ServiceProfiles\\LocalService\\AppData\\Local\\Temp",
        "C:\\ProgramData\\Microsoft\\Search\\Data\\Applications\\Windows"};
    folder_ = r.pick(kSysFolders);
  } else {
    user_folder(r, u, p.kind, pool_name, folder_);
  }
  url_.clear();
  if (p.kind == kBrowser && action == kCreated && pool_name) {
    url_ = "https://contoso.sharepoint.com/sites/";
    url_ += kDepts[r.below(kDepts.size())];
    url_ += "/Shared Documents/";
    url_ += name_;
  }
  prev_name_.clear();
  prev_folder_.clear();
  if (action == kRenamed) {
    if (p.kind == kOffice || !pool_name) {
      prev_name_ = "~WRL";
      Out o;
      o.hex(r.bits(), 4);
      prev_name_ += o.s;
      prev_name_ += ".tmp";
    } else if (p.kind == kBrowser) {
      prev_name_ = name_ + ".crdownload";
    } else {
      prev_name_ = pool_[r.skewed(static_cast<u32>(pool_.size()))];
    }
    prev_folder_ = folder_;
  }
  file_row(tf, d, r, t, action, proc, name_, folder_, prev_name_, prev_folder_, url_);
}

void Generator::device_event_row(TableFile &tf, const Device &d, Rng &r, i64 t,
                                 const SchedEvent *ev) {
  static constexpr std::array<string_view, 17> kActions = {"NamedPipeEvent",
                                                           "ProcessCreatedUsingWmiQuery",
                                                           "DpapiAccessed",
                                                           "ScreenshotTaken",
                                                           "AntivirusScanCompleted",
                                                           "BrowserLaunchedToOpenUrl",
                                                           "GetClipboardData",
                                                           "CreateRemoteThreadApiCall",
                                                           "OpenProcessApiCall",
                                                           "PowerShellCommand",
                                                           "LdapSearch",
                                                           "ShellLinkCreateFileEvent",
                                                           "DnsQueryResponse",
                                                           "PnpDeviceBlocked",
                                                           "UsbDriveDriveLetterChanged",
                                                           "AntivirusDetection",
                                                           "ReadProcessMemoryApiCall"};
  static constexpr std::array<u32, 17> kWeights = {14, 6, 8, 5, 4, 8, 6, 4, 8,
                                                   6,  5, 6, 8, 1, 1, 1, 4};
  const User &u = users_[d.user];
  Out &o = tf.out;
  af_.s.clear();
  string_view action;
  int proc = kSvchost;
  bool af_string = false;
  string_view remote_url, file_name, folder;
  if (ev != nullptr) {
    const UsbProduct &prod = kUsbProducts[static_cast<size_t>(ev->product)];
    af_.lit("{");
    if (ev->kind == kEvPnp) {
      action = "PnpDeviceConnected";
      af_.lit("\"ClassName\":\"DiskDrive\",\"DeviceDescription\":\"USB Mass Storage Device\",");
      af_.lit("\"VendorIds\":\"USBSTOR\\\\Disk");
      af_.esc(prod.manufacturer);
      af_.lit("\",\"DeviceId\":\"USBSTOR\\\\DISK&VEN_");
      af_.esc(prod.manufacturer);
      af_.lit("&PROD_");
      af_.esc(prod.product);
      af_.lit("\\\\");
      af_.hex(ev->serial, 16);
      af_.lit("\",\"DriveLetter\":");
      af_.str(ev->letter);
    } else {
      action = ev->kind == kEvMount ? "UsbDriveMounted" : "UsbDriveUnmounted";
      af_.lit("\"DriveLetter\":");
      af_.str(ev->letter);
      af_.lit(",\"BusType\":\"7\",\"ProductName\":");
      af_.str(prod.product);
      af_.lit(",\"ProductRevision\":\"1.00\",\"SerialNumber\":\"");
      af_.hex(ev->serial, 16);
      af_.lit("\",\"Manufacturer\":");
      af_.str(prod.manufacturer);
      af_.lit(",\"Volume\":\"Volume{");
      af_.guid_raw(ev->vol_a, ev->vol_b);
      af_.lit("}\"");
    }
    af_.lit("}");
  } else {
    const size_t ai = r.weighted(kWeights);
    action = kActions[ai];
    af_string = r.chance(1, 3);
    af_.lit("{");
    switch (ai) {
    case 0:
      af_.lit("\"DesiredAccess\":1180063,\"FileOperation\":\"File opened\",\"NamedPipeEnd\":"
              "\"Client\",\"PipeName\":\"\\\\Device\\\\NamedPipe\\\\");
      af_.lit(r.chance(1, 2) ? "lsass" : "srvsvc");
      af_.lit("\",\"RemoteClientsAccess\":\"AcceptRemoteClients\",\"ThreadId\":");
      af_.num(1000 + r.below(30000));
      break;
    case 2:
      af_.lit("\"DataDescription\":\"Google Chrome\",\"OperationType\":\"Unprotect\","
              "\"ProtectionFlags\":0");
      proc = kChrome;
      break;
    case 3:
    case 6:
      af_.lit("\"Description\":\"");
      af_.lit(action);
      af_.lit("\"");
      proc = r.chance(1, 2) ? 8 : kExplorer;
      break;
    case 4:
      af_.lit("\"ScanTypeIndex\":\"Quick\",\"DurationInMs\":");
      af_.num(60000 + r.below(900000));
      proc = 15;
      break;
    case 5:
      af_.lit("\"Browser\":\"msedge.exe\"");
      proc = 6;
      remote_url = "https://contoso.sharepoint.com/sites/Finance/Shared%20Documents/Forms/"
                   "AllItems.aspx";
      break;
    case 9:
      af_.lit("\"Command\":\"Get-ItemProperty\"");
      proc = 10;
      break;
    case 11:
      name_ = pool_[r.skewed(static_cast<u32>(pool_.size()))];
      name_ += ".lnk";
      folder_ = "C:\\Users\\" + u.local + "\\AppData\\Roaming\\Microsoft\\Windows\\Recent";
      file_name = name_;
      folder = folder_;
      af_.lit("\"ShellLinkIconPath\":\"\",\"ShellLinkWorkingDirectory\":\"\"");
      proc = kExplorer;
      break;
    case 12:
      af_.lit(
          "\"DnsQueryString\":\"login.microsoftonline.com\",\"DnsQueryResult\":[{\"DnsQueryType\":"
          "1,\"DnsQueryTypeName\":\"A\",\"DnsQueryResult\":\"20.190.151.7\"}]");
      break;
    case 14:
      af_.lit("\"DriveLetter\":\"");
      af_.ch(static_cast<char>('D' + r.below(4)));
      af_.lit(":\",\"NewDriveLetter\":\"");
      af_.ch(static_cast<char>('E' + r.below(4)));
      af_.lit(":\"");
      break;
    default:
      af_.lit("\"Description\":\"");
      af_.lit(action);
      af_.lit("\"");
      break;
    }
    af_.lit("}");
  }
  const Proc &p = kProcs[static_cast<size_t>(proc)];
  const size_t start = tf.begin();
  o.lit("{\"TenantId\":");
  o.str(tenant_);
  o.kt("TimeGenerated", t);
  o.kt("Timestamp", t - r.range(kSec / 2, 60 * kSec));
  o.ks("ActionType", action);
  o.ks("DeviceId", d.id);
  o.ks("DeviceName", d.name);
  o.key("AdditionalFields");
  if (af_string) {
    o.str(af_.s);
  } else {
    o.lit(af_.s);
  }
  if (file_name.empty()) {
    o.kn("FileName");
    o.kn("FolderPath");
  } else {
    o.ks("FileName", file_name);
    o.key("FolderPath");
    o.ch('"');
    o.esc(folder);
    o.lit("\\\\");
    o.esc(file_name);
    o.ch('"');
  }
  o.kn("SHA1");
  o.kn("FileSize");
  o.kn("AccountName");
  o.ksn("RemoteUrl", remote_url);
  o.kn("ProcessId");
  o.kn("ProcessCommandLine");
  o.kn("RegistryKey");
  o.kn("RemoteIP");
  o.kn("LocalIP");
  const u64 ph = hash_of(0x50524F43, proc);
  o.key("InitiatingProcessSHA1");
  o.ch('"');
  o.hex(hash_of(ph, 2), 16);
  o.hex(hash_of(ph, 3), 16);
  o.hex(hash_of(ph, 4), 8);
  o.ch('"');
  o.ks("InitiatingProcessFileName", p.file);
  o.ks("InitiatingProcessFolderPath", p.folder);
  o.ku("InitiatingProcessId", 4 * (100 + hash_of(ph, d.user) % 12000));
  o.ks("InitiatingProcessCommandLine", p.cmd);
  o.kt("InitiatingProcessCreationTime", -kHour * 20 - static_cast<i64>(ph % 1000) * kSec);
  if (p.system) {
    o.ks("InitiatingProcessAccountDomain", "nt authority");
    o.ks("InitiatingProcessAccountName", "system");
    o.ks("InitiatingProcessAccountSid", "S-1-5-18");
    o.kn("InitiatingProcessAccountUpn");
    o.kn("InitiatingProcessAccountObjectId");
  } else {
    o.ks("InitiatingProcessAccountDomain", "azuread");
    o.ks("InitiatingProcessAccountName", u.acct);
    o.ks("InitiatingProcessAccountSid", u.sid);
    o.ks("InitiatingProcessAccountUpn", u.upn);
    o.ks("InitiatingProcessAccountObjectId", u.oid);
  }
  o.ku("InitiatingProcessLogonId", p.system ? 999 : 100000 + hash_of(ph, 7, d.user) % 900000);
  o.ku("InitiatingProcessParentId", 4 * (100 + hash_of(ph, 8, d.user) % 12000));
  o.ks("InitiatingProcessParentFileName", p.parent);
  o.ku("ReportId", 1000 + r.below(900000));
  o.ks("AppGuardContainerId", "");
  o.ks("MachineGroup", d.group);
  o.kg("_ItemId", r);
  o.ks("Type", "DeviceEvents");
  o.ch('}');
  tf.end(start);
}

constexpr std::array<string_view, 4> kApps = {"Microsoft SharePoint Online",
                                              "Microsoft OneDrive for Business",
                                              "Microsoft Exchange Online", "Office 365"};
constexpr std::array<u32, 4> kAppIds = {20892, 15600, 20893, 11161};

void Generator::cloud_row(TableFile &tf, const User &u, Rng &r, i64 t, string_view action,
                          string_view name, string_view ip, const Place &place, int app) {
  Out &o = tf.out;
  const bool file = !name.empty();
  // ObjectId URL
  url_.clear();
  string_view site = kDepts[hash_of(0x51, name.size(), name.empty() ? 0 : name[0]) % kDepts.size()];
  if (file) {
    if (app == 1) {
      url_ = "https://contoso-my.sharepoint.com/personal/";
      for (char c : u.local)
        url_.push_back(c == '.' ? '_' : c);
      url_ += "_contoso_com/Documents/";
    } else {
      url_ = "https://contoso.sharepoint.com/sites/";
      url_ += site;
      url_ += "/Shared Documents/";
    }
    url_ += name;
  }
  const size_t start = tf.begin();
  o.lit("{\"TenantId\":");
  o.str(tenant_);
  o.kt("TimeGenerated", t);
  o.kt("Timestamp", t - r.range(kSec, 120 * kSec));
  o.ks("ActionType", action);
  o.ku("ApplicationId", kAppIds[static_cast<size_t>(app)]);
  o.ks("Application", kApps[static_cast<size_t>(app)]);
  o.ks("AccountObjectId", u.oid);
  o.ks("AccountId", u.oid);
  o.ks("AccountDisplayName", u.display);
  o.kb("IsAdminOperation", false);
  o.ks("DeviceType", "Desktop");
  o.ks("OSPlatform", "Windows 10");
  o.ks("IPAddress", ip);
  o.kb("IsAnonymousProxy", false);
  o.ks("CountryCode", place.cc);
  o.ks("City", place.city);
  o.ks("ISP", place.isp);
  o.ks("UserAgent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                    "Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0");
  if (file) {
    o.ks("ActivityType", action == "FileDownloaded" ? "Download" : "Basic");
    o.key("ActivityObjects");
    o.lit("[{\"Type\":\"File\",\"Role\":\"Target object\",\"Name\":");
    o.str(name);
    o.lit(",\"Id\":");
    o.str(url_);
    o.lit("}]");
    o.ks("ObjectName", name);
    o.ks("ObjectType", "File");
    o.ks("ObjectId", url_);
  } else {
    o.ks("ActivityType", action == "UserLoggedIn" ? "Login" : "Basic");
    o.key("ActivityObjects");
    o.lit("[]");
    o.ks("ObjectName", "");
    o.ks("ObjectType", "");
    o.ks("ObjectId", "");
  }
  o.key("ReportId");
  o.ch('"');
  o.guid_raw(r.bits(), r.bits());
  o.ch('_');
  o.num(kAppIds[static_cast<size_t>(app)]);
  o.ch('"');
  o.ks("AccountType", "Regular");
  o.kb("IsExternalUser", false);
  o.kb("IsImpersonated", false);
  o.kn("IPTags");
  o.ks("IPCategory", "");
  o.kn("UserAgentTags");
  // RawEventData: the audit record, as a JSON object.
  o.key("RawEventData");
  o.lit("{");
  if (file) {
    o.lit("\"AppAccessContext\":{\"AADSessionId\":");
    o.guid(r);
    o.lit(",\"CorrelationId\":");
    o.guid(r);
    o.lit(",\"UniqueTokenId\":\"");
    o.hex_rand(r, 22);
    o.lit("\"},");
  }
  o.lit("\"CreationTime\":");
  o.time(t - r.range(0, 30 * kSec), false, false);
  o.lit(",\"Id\":");
  o.guid(r);
  o.lit(",\"Operation\":");
  o.str(action);
  o.lit(",\"OrganizationId\":");
  o.str(tenant_);
  if (file) {
    o.lit(",\"RecordType\":6,\"UserKey\":\"i:0h.f|membership|");
    o.lit(u.puid);
    o.lit("@live.com\",\"UserType\":0,\"Version\":1,\"Workload\":");
    o.str(app == 1 ? "OneDrive" : "SharePoint");
    o.lit(",\"ClientIP\":");
    o.str(ip);
    o.lit(",\"ObjectId\":");
    o.str(url_);
    o.lit(",\"UserId\":");
    o.str(u.cloud_id);
    o.lit(",\"CorrelationId\":");
    o.guid(r);
    o.lit(",\"EventSource\":\"SharePoint\",\"ItemType\":\"File\",\"ListId\":");
    o.guid(r);
    o.lit(",\"ListItemUniqueId\":");
    o.guid(r);
    o.lit(",\"Site\":");
    o.guid(r);
    o.lit(",\"UserAgent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
          "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0\",\"WebId\":");
    o.guid(r);
    const size_t dot = name.rfind('.');
    o.lit(",\"SourceFileExtension\":");
    o.str(dot == string_view::npos ? string_view() : name.substr(dot + 1));
    o.lit(",\"SiteUrl\":\"");
    if (app == 1) {
      o.lit("https://contoso-my.sharepoint.com/personal/");
      for (char c : u.local)
        o.ch(c == '.' ? '_' : c);
      o.lit("_contoso_com/");
    } else {
      o.lit("https://contoso.sharepoint.com/sites/");
      o.lit(site);
      o.lit("/");
    }
    o.lit("\",\"SourceFileName\":");
    o.str(name);
    o.lit(",\"SourceRelativeUrl\":\"Shared Documents\",\"ApplicationDisplayName\":\"Microsoft "
          "Office\",\"IsManagedDevice\":");
    o.lit(r.chance(4, 5) ? "true" : "false");
    o.lit(",\"Platform\":\"Win10\",\"GeoLocation\":\"NAM\",\"DoNotDistributeEvent\":true,"
          "\"HighPriorityMediaProcessing\":false}");
  } else if (action == "UserLoggedIn") {
    o.lit(",\"RecordType\":15,\"ResultStatus\":\"Success\",\"UserKey\":");
    o.str(u.oid);
    o.lit(",\"UserType\":0,\"Version\":1,\"Workload\":\"AzureActiveDirectory\",\"ClientIP\":");
    o.str(ip);
    o.lit(",\"ObjectId\":\"00000003-0000-0ff1-ce00-000000000000\",\"UserId\":");
    o.str(u.cloud_id);
    o.lit(",\"AzureActiveDirectoryEventType\":1,\"ExtendedProperties\":[{\"Name\":"
          "\"ResultStatusDetail\",\"Value\":\"Redirect\"},{\"Name\":\"RequestType\",\"Value\":"
          "\"OAuth2:Authorize\"}],\"ModifiedProperties\":[],\"Actor\":[{\"ID\":");
    o.str(u.oid);
    o.lit(",\"Type\":0},{\"ID\":");
    o.str(u.cloud_id);
    o.lit(",\"Type\":5}],\"ActorContextId\":");
    o.str(tenant_);
    o.lit(",\"ActorIpAddress\":");
    o.str(ip);
    o.lit(",\"InterSystemsId\":");
    o.guid(r);
    o.lit(",\"IntraSystemId\":");
    o.guid(r);
    o.lit(",\"SupportTicketId\":\"\",\"Target\":[{\"ID\":\"00000003-0000-0ff1-ce00-"
          "000000000000\",\"Type\":0}],\"TargetContextId\":");
    o.str(tenant_);
    o.lit(",\"ErrorNumber\":\"0\"}");
  } else {
    o.lit(",\"RecordType\":50,\"ResultStatus\":\"Succeeded\",\"UserKey\":\"");
    o.lit(u.puid);
    o.lit("\",\"UserType\":0,\"Version\":1,\"Workload\":\"Exchange\",\"ClientIP\":");
    o.str(ip);
    o.lit(",\"UserId\":");
    o.str(u.cloud_id);
    o.lit(",\"ClientInfoString\":\"Client=OutlookService;Outlook/16.0\",\"ExternalAccess\":"
          "false,\"LogonType\":0,\"MailboxGuid\":");
    o.guid(r);
    o.lit(",\"MailboxOwnerUPN\":");
    o.str(u.upn);
    o.lit(
        ",\"OperationProperties\":[{\"Name\":\"MailAccessType\",\"Value\":\"Bind\"},{\"Name\":"
        "\"IsThrottled\",\"Value\":\"False\"}],\"OrganizationName\":\"contoso.onmicrosoft.com\"}");
  }
  o.key("AdditionalFields");
  o.lit("{\"IsSatelliteProvider\":false}");
  o.ks("AuditSource", "Defender for Cloud Apps");
  o.kn("SessionData");
  o.kn("OAuthAppId");
  o.ks("SourceSystem", "Cloud");
  o.kg("_ItemId", r);
  o.ks("Type", "CloudAppEvents");
  o.ch('}');
  tf.end(start);
}

void Generator::alert_row(TableFile &tf, const Alert &a, Rng &r) {
  const User &u = users_[a.user];
  Out &o = tf.out;
  // Entities: JSON text of an array (account, ip, cloud-application).
  af_.s.clear();
  af_.lit("[{\"$id\":\"2\",\"Name\":");
  af_.str(u.local);
  af_.lit(",\"UPNSuffix\":");
  af_.str(u.domain);
  af_.lit(",\"AadTenantId\":");
  af_.str(tenant_);
  af_.lit(",\"AadUserId\":");
  af_.str(u.oid);
  af_.lit(",\"DisplayName\":");
  af_.str(u.display);
  af_.lit(",\"Type\":\"account\"},{\"$id\":\"3\",\"Address\":");
  af_.str(a.ip);
  af_.lit(",\"Location\":{\"CountryCode\":");
  af_.str(a.place.cc);
  af_.lit(",\"City\":");
  af_.str(a.place.city);
  af_.lit(",\"Longitude\":-122.12,\"Latitude\":47.67,\"Asn\":8075},\"Type\":\"ip\"},{\"$id\":"
          "\"4\",\"AppId\":");
  af_.num(kAppIds[static_cast<size_t>(a.app)]);
  af_.lit(",\"Name\":");
  af_.str(kApps[static_cast<size_t>(a.app)]);
  af_.lit(",\"Type\":\"cloud-application\"}]");

  const size_t start = tf.begin();
  o.lit("{\"TenantId\":");
  o.str(tenant_);
  o.kt("TimeGenerated", a.t);
  o.ks("DisplayName", a.name);
  o.ks("AlertName", a.name);
  o.ks("AlertSeverity", a.name == kMassDownload ? "High" : "Medium");
  const u32 nfiles = a.ndownloads > 0 ? static_cast<u32>(a.ndownloads) : 50 + r.below(200);
  o.key("Description");
  o.ch('"');
  o.lit("User ");
  o.esc(u.display);
  o.lit(" (");
  o.esc(u.cloud_id);
  o.lit(a.name == kMassDownload ? ") downloaded " : ") performed ");
  o.num(nfiles);
  o.lit(" files in ");
  o.num(10 + r.below(60));
  o.lit(" minutes.\"");
  o.ks("ProviderName", "MCAS");
  o.ks("Status", a.status);
  o.ks("Entities", af_.s);
  o.ks("ProductName", "Microsoft Cloud App Security");
  o.ks("CompromisedEntity", u.cloud_id);
  o.ks("VendorName", "Microsoft");
  o.khex("VendorOriginalId", r, 24);
  o.kg("SystemAlertId", r);
  o.ks("AlertType", "ALERT_CABINET_EVENT_MATCH_AUDIT");
  o.ks("ConfidenceLevel", "");
  o.kn("ConfidenceScore");
  o.kb("IsIncident", false);
  o.kt("StartTime", a.t - r.range(10 * kMin, 60 * kMin));
  o.kt("EndTime", a.t - r.range(kMin, 9 * kMin));
  o.kt("ProcessingEndTime", a.t - r.range(kSec, 30 * kSec));
  o.ks("RemediationSteps", "[\"Contact the user and confirm the activity.\"]");
  o.key("ExtendedProperties");
  o.lit("\"{\\\"Policy\\\": ");
  af_.s.clear();
  af_.str(a.name);
  o.esc(af_.s);
  o.lit(", \\\"Activities count\\\": \\\"");
  o.num(nfiles);
  o.lit("\\\", \\\"ProcessedBySentinel\\\": \\\"True\\\", \\\"Alert generation status\\\": "
        "\\\"Full alert created\\\"}\"");
  o.ks("SourceSystem", "Detection");
  o.ks("WorkspaceSubscriptionId", "d56e4977-22e1-4f6b-8839-efabb9267ec4");
  o.ks("WorkspaceResourceGroup", "rg-sec");
  o.key("AlertLink");
  o.lit("\"https://security.microsoft.com/alerts/ca");
  o.hex_rand(r, 24);
  o.ch('"');
  o.ks("Tactics", "Exfiltration");
  o.ks("Techniques", "");
  o.kg("_ItemId", r);
  o.ks("_Internal_WorkspaceResourceId",
       "/subscriptions/d56e4977-22e1-4f6b-8839-efabb9267ec4/resourcegroups/rg-sec/providers/"
       "microsoft.operationalinsights/workspaces/law-sentinel");
  o.ks("Type", "SecurityAlert");
  o.ch('}');
  tf.end(start);
}

// ------------------------------------------------------------------------------------------
// Writing: hour by hour, device by device (user by user), rows of one hour in time order.
// ------------------------------------------------------------------------------------------

void Generator::write(const std::filesystem::path &dir) {
  std::filesystem::create_directories(dir);
  tables_[0] = std::make_unique<TableFile>(dir / "SecurityAlert.jsonl", base_day_);
  tables_[1] = std::make_unique<TableFile>(dir / "CloudAppEvents.jsonl", base_day_);
  tables_[2] = std::make_unique<TableFile>(dir / "DeviceFileEvents.jsonl", base_day_);
  tables_[3] = std::make_unique<TableFile>(dir / "DeviceEvents.jsonl", base_day_);
  TableFile &sa = *tables_[0];
  TableFile &cae = *tables_[1];
  TableFile &dfe = *tables_[2];
  TableFile &de = *tables_[3];

  {
    std::vector<size_t> order(alerts_.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return alerts_[a].t < alerts_[b].t; });
    Rng r(hash_of(seed_, 0x414C));
    for (size_t i : order)
      alert_row(sa, alerts_[i], r);
  }

  struct Ev {
    i64 t;
    i64 idx; // -1: background
  };
  std::vector<Ev> evs;
  std::vector<size_t> cloud_cur(users_.size(), 0);
  static constexpr std::array<string_view, 11> kCloudActions = {
      "FileDownloaded",       "FileAccessed",  "FileModified",
      "FileUploaded",         "FilePreviewed", "FileSyncDownloadedFull",
      "FileAccessedExtended", "UserLoggedIn",  "MailItemsAccessed",
      "SharingSet",           "FileDeleted"};
  static constexpr std::array<u32, 11> kCloudWeights = {20, 22, 12, 10, 8, 5, 5, 6, 5, 4, 3};

  for (int hour = 0; hour < 24; ++hour) {
    const i64 h0 = hour * kHour;
    const i64 h1 = h0 + kHour;
    for (u32 di = 0; di < devices_.size(); ++di) {
      Device &d = devices_[di];
      const u64 jitter = hash_of(seed_, 0x4A, di);
      // DeviceFileEvents
      {
        Rng r(hash_of(seed_, 0x46, di, hour));
        const u32 total = static_cast<u32>(opt_.file_events * (75 + jitter % 51) / 100);
        const u32 n = hourly_count(hash_of(jitter, 1), total, hour);
        evs.clear();
        for (u32 i = 0; i < n; ++i)
          evs.push_back({r.range(h0, h1), -1});
        for (size_t i = d.fcur; i < d.files.size() && d.files[i].t < h1; ++i)
          evs.push_back({d.files[i].t, static_cast<i64>(i)});
        std::stable_sort(evs.begin(), evs.end(),
                         [](const Ev &a, const Ev &b) { return a.t < b.t; });
        for (const Ev &e : evs) {
          if (e.idx < 0) {
            background_file_row(dfe, d, r, e.t);
          } else {
            const SchedFile &f = d.files[static_cast<size_t>(e.idx)];
            prev_name_.clear();
            if (f.action == kRenamed)
              prev_name_ = "New " + f.name;
            file_row(dfe, d, r, f.t, f.action, f.proc, f.name, f.folder, prev_name_, f.folder,
                     f.origin_url);
            d.fcur = static_cast<size_t>(e.idx) + 1;
          }
        }
      }
      // DeviceEvents
      {
        Rng r(hash_of(seed_, 0x45, di, hour));
        const u32 total = static_cast<u32>(opt_.device_events * (75 + jitter % 51) / 100);
        const u32 n = hourly_count(hash_of(jitter, 2), total, hour);
        evs.clear();
        for (u32 i = 0; i < n; ++i)
          evs.push_back({r.range(h0, h1), -1});
        for (size_t i = d.ecur; i < d.events.size() && d.events[i].t < h1; ++i)
          evs.push_back({d.events[i].t, static_cast<i64>(i)});
        std::stable_sort(evs.begin(), evs.end(),
                         [](const Ev &a, const Ev &b) { return a.t < b.t; });
        for (const Ev &e : evs) {
          if (e.idx < 0) {
            device_event_row(de, d, r, e.t, nullptr);
          } else {
            device_event_row(de, d, r, e.t, &d.events[static_cast<size_t>(e.idx)]);
            d.ecur = static_cast<size_t>(e.idx) + 1;
          }
        }
      }
    }
    // CloudAppEvents
    for (u32 ui = 0; ui < users_.size(); ++ui) {
      const User &u = users_[ui];
      Rng r(hash_of(seed_, 0x43, ui, hour));
      const u32 n = hourly_count(hash_of(seed_, 0x4B, ui), opt_.cloud_events, hour);
      evs.clear();
      for (u32 i = 0; i < n; ++i)
        evs.push_back({r.range(h0, h1), -1});
      const auto &cs = cloud_sched_[ui];
      for (size_t i = cloud_cur[ui]; i < cs.size() && cs[i].t < h1; ++i)
        evs.push_back({cs[i].t, static_cast<i64>(i)});
      std::stable_sort(evs.begin(), evs.end(), [](const Ev &a, const Ev &b) { return a.t < b.t; });
      for (const Ev &e : evs) {
        if (e.idx >= 0) {
          const SchedCloud &c = cs[static_cast<size_t>(e.idx)];
          const Alert &a = alerts_[static_cast<size_t>(c.alert)];
          cloud_row(cae, u, r, c.t, "FileDownloaded", pool_[c.name], a.ip, a.place, a.app);
          cloud_cur[ui] = static_cast<size_t>(e.idx) + 1;
          continue;
        }
        const size_t ai = r.weighted(kCloudWeights);
        const string_view action = kCloudActions[ai];
        // Usual IP most of the time; sometimes a roaming one (73.x, never an alert's IP).
        const bool roaming = r.chance(1, 10);
        if (roaming) {
          tmp_ = fmt::format("73.{}.{}.{}", r.below(256), r.below(256), 1 + r.below(254));
        }
        const string_view ip = roaming ? string_view(tmp_) : string_view(u.home_ip);
        const Place &place = roaming ? kHomePlaces[r.below(kHomePlaces.size())] : u.home;
        if (action == "UserLoggedIn") {
          cloud_row(cae, u, r, e.t, action, "", ip, place, 3);
        } else if (action == "MailItemsAccessed") {
          cloud_row(cae, u, r, e.t, action, "", ip, place, 2);
        } else {
          const string &name = pool_[r.skewed(static_cast<u32>(pool_.size()))];
          cloud_row(cae, u, r, e.t, action, name, ip, place, r.chance(2, 3) ? 0 : 1);
        }
      }
    }
  }
  for (auto &t : tables_)
    t->close();
}

void Generator::print_summary() const {
  static constexpr std::array<string_view, 4> kNames = {"SecurityAlert", "CloudAppEvents",
                                                        "DeviceFileEvents", "DeviceEvents"};
  u64 total = 0;
  for (size_t i = 0; i < tables_.size(); ++i) {
    const TableStats &s = tables_[i]->stats;
    total += s.bytes;
    fmt::print("{:<17} rows {:>10}  bytes {:>13}  row bytes min {} avg {} max {}\n", kNames[i],
               s.rows, s.bytes, s.rows ? s.min : 0, s.rows ? s.bytes / s.rows : 0,
               s.rows ? s.max : 0);
  }
  fmt::print("total bytes {}\n", total);
  if (opt_.histogram) {
    for (size_t i = 0; i < tables_.size(); ++i) {
      const TableStats &s = tables_[i]->stats;
      fmt::print("{} row sizes (128-byte buckets):\n", kNames[i]);
      for (size_t b = 0; b < s.hist.size(); ++b)
        if (s.hist[b] != 0)
          fmt::print("  {:>5}-{:<5} {:>10} ({:.1f}%)\n", b * 128, b * 128 + 127, s.hist[b],
                     100.0 * static_cast<double>(s.hist[b]) / static_cast<double>(s.rows));
    }
  }
  for (const Alert &a : alerts_) {
    if (a.kind == AlertKind::Other)
      continue;
    const User &u = users_[a.user];
    fmt::print("alert {:<28} user {} ip {} at {}:{:02} status {}", kind_name(a.kind), u.cloud_id,
               a.ip, a.t / kHour, a.t / kMin % 60, a.status);
    if (a.kind != AlertKind::Orphan)
      fmt::print(" device {} downloads {} copies {} via {} to {}", devices_[a.device].name,
                 a.ndownloads, a.ncopies,
                 a.copy_proc >= 0 ? kProcs[static_cast<size_t>(a.copy_proc)].file : "-",
                 a.letter.empty() ? "-" : a.letter);
    fmt::print("\n");
  }
  fmt::print("planted chains: {}\n", chains_);
  fmt::print("expected findings: {}\n", expected_findings());
}

} // namespace

int main(int argc, char **argv) {
  Options opt;
  CLI::App app{"usbexfil_generate: synthetic Sentinel exports (SecurityAlert, CloudAppEvents, "
               "DeviceFileEvents, DeviceEvents) with planted download-and-copy-to-USB chains"};
  app.add_option("--devices", opt.devices, "Number of devices")->check(CLI::Range(1u, 10000000u));
  app.add_option("--users", opt.users, "Number of users")->check(CLI::Range(1u, 10000000u));
  app.add_option("--seed", opt.seed, "Random seed");
  app.add_option("--out", opt.out, "Output directory (created if missing)")->required();
  app.add_option("--date", opt.date, "The day of the data, YYYY-MM-DD");
  app.add_option("--file-events", opt.file_events, "DeviceFileEvents rows per device (about)");
  app.add_option("--device-events", opt.device_events, "DeviceEvents rows per device (about)");
  app.add_option("--cloud-events", opt.cloud_events, "CloudAppEvents rows per user (about)");
  app.add_option("--chains", opt.chains,
                 "Planted chains (each one finding; default one a hundred users; at most the "
                 "users that own a device, less the decoys)");
  app.add_flag("--histogram", opt.histogram, "Print each table's row-size histogram");
  CLI11_PARSE(app, argc, argv);

  try {
    const auto t0 = std::chrono::steady_clock::now();
    Generator g(opt);
    g.build();
    g.write(opt.out);
    const auto t1 = std::chrono::steady_clock::now();
    g.print_summary();
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    fmt::print(stderr, "generated in {:.2f} s\n", secs);
  } catch (const std::exception &e) {
    fmt::print(stderr, "usbexfil_generate: {}\n", e.what());
    return 1;
  }
  return 0;
}
