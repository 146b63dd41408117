#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium (Debian chromium-headless-shell, or
# chromium) loads `usbexfil run --format html` of the demo day, of every golden case and of a
# copy of the demo day whose values are HTML and script; the DOM it builds must hold every
# finding's user, device and matched files as text, no element that the data spelled, and the
# mark the report's inline script sets (so a script error fails the test). A screenshot of the
# demo day's report is written to OUT_DIR/demo.png.
# Usage: html_report_test.sh USBEXFIL TESTDATA_DIR OUT_DIR [INSTALL_DEPS]
# Exit 77 (ctest: skipped) only when no browser is found and INSTALL_DEPS cannot install one.
set -euo pipefail
usbexfil=$1 testdata=$2 out=$3 install_deps=${4:-}

find_browser() { command -v chromium-headless-shell || command -v chromium || true; }
browser=$(find_browser)
if [ -z "$browser" ] && [ -n "$install_deps" ]; then
  echo "no headless Chromium: running $install_deps" >&2
  "$install_deps" >&2 || echo "$install_deps failed" >&2
  browser=$(find_browser)
fi
if [ -z "$browser" ]; then
  echo "SKIPPED: neither chromium-headless-shell nor chromium is installed, and they could not" \
       "be installed (scripts/install-deps as root on Debian 12 installs chromium-headless-shell)" >&2
  exit 77
fi

mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --disable-gpu --no-first-run --hide-scrollbars --enable-logging=stderr --v=0
       --user-data-dir="$work/profile")
[ "$(id -u)" -ne 0 ] || flags+=(--no-sandbox)

# check REPORT JSONL: the report's DOM, as Chromium builds it, against the findings in JSONL.
check() {
  local report=$1 jsonl=$2 name=$3
  timeout 60 "$browser" "${flags[@]}" --dump-dom "file://$report" >"$work/dom.html" \
    2>"$work/browser.err" || { cat "$work/browser.err" >&2; echo "$name: browser failed" >&2; return 1; }
  if grep -E ':CONSOLE|Uncaught' "$work/browser.err" >&2; then
    echo "$name: the browser reported a script error" >&2; return 1
  fi
  python3 - "$work/dom.html" "$jsonl" "$name" <<'PY'
import html.parser, json, sys
dom_path, jsonl_path, name = sys.argv[1:4]
dom = open(dom_path, encoding="utf-8").read()
findings = [json.loads(l) for l in open(jsonl_path, encoding="utf-8") if l.strip()]

class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.root_attrs, self.sections = [], {}, {}, []
    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag == "html":
            self.root_attrs = dict(attrs)
        if tag == "section" and ("class", "finding") in attrs:
            self.sections.append([])
    def handle_data(self, data):
        self.text.append(data)
        if self.sections:
            self.sections[-1].append(data)

p = Text()
p.feed(dom)
mark = p.root_attrs.get("data-report-script")
assert mark == f"ok {len(findings)}", f"{name}: script mark {mark!r}: the inline script did not run"
assert len(p.sections) == len(findings), f"{name}: {len(p.sections)} finding sections"
def terminal_escaped(s):  # the report shows control characters as escape_terminal does
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 or ord(c) == 0x7f else
                   f"\\u{ord(c):04x}" if 0x80 <= ord(c) <= 0x9f else c for c in s)
for i, (f, section) in enumerate(zip(findings, p.sections)):
    text = "".join(section)
    for what, value in [("user", f["UserId"]), ("device", f["DeviceName"])] + \
                       [("matched file", m) for m in f["USB_Drive_MatchedFiles"]]:
        assert terminal_escaped(value) in text, f"{name}: finding {i + 1}: {what} {value!r} not in the DOM"
    e = f.get("Enrichment")  # --enrich: its id, alerts, drives and every copy's hash are shown
    if e is not None:
        values = [("FindingId", e["FindingId"])] + [("alert id", a) for a in e["SystemAlertIds"]] + \
                 [("serial", d["SerialNumber"]) for d in e["UsbDrives"]] + \
                 [("SHA256", c["SHA256"]) for m in e["MatchedFiles"] for c in m["Copies"]]
        for what, value in values:
            assert terminal_escaped(value) in text, f"{name}: finding {i + 1}: {what} {value!r} not in the DOM"
# Elements the report itself writes; data that spelled an element would add another kind.
allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
           "section", "dl", "dt", "dd", "code", "br", "table", "thead", "tbody", "tr", "th",
           "td", "nav", "ol", "ul", "li", "a", "span", "i", "div", "svg", "line", "text",
           "rect", "path", "footer", "script"}
extra = set(p.tags) - allowed
assert not extra, f"{name}: unexpected elements {extra}"
assert p.tags.get("script", 0) == 1, f"{name}: {p.tags.get('script', 0)} script elements"
print(f"{name}: {len(findings)} findings in the DOM, script ran")
PY
}

# The demo day, with its screenshot.
demo=$testdata/demo
"$usbexfil" run -q "$demo" --format html -o "$work/demo.html"
"$usbexfil" run -q "$demo" -o "$work/demo.jsonl"
check "$work/demo.html" "$work/demo.jsonl" demo
timeout 60 "$browser" "${flags[@]}" --window-size=1100,1400 --screenshot="$out/demo.png" \
  "file://$work/demo.html" 2>"$work/browser.err" || { cat "$work/browser.err" >&2; exit 1; }
[ -s "$out/demo.png" ] || { echo "no screenshot written" >&2; exit 1; }
echo "screenshot: $out/demo.png"

# Every golden case.
for dir in "$testdata"/cases/*/; do
  name=$(basename "$dir")
  args=()
  [ ! -f "$dir/args" ] || read -r -a args <"$dir/args"
  inputs=()
  for f in "$dir"*; do
    case $(basename "$f") in args|case.md|expected.jsonl) ;; *) inputs+=("$f") ;; esac
  done
  "$usbexfil" run -q "${inputs[@]}" "${args[@]}" --format html -o "$work/case.html"
  check "$work/case.html" "$dir/expected.jsonl" "$name"
done

# Values that are markup and script must stay text.
mkdir "$work/hostile"
for t in SecurityAlert CloudAppEvents DeviceFileEvents DeviceEvents; do
  sed -e 's/ws-fin-0142\.corp\.contoso\.com/<img src=x onerror=alert(1)>.corp/g' \
      -e 's/lt-sales-0387\.fabrikam\.com/<\/code><script>document.title=1<\/script>&amp;.x/g' \
      -e 's/Bank Reconciliation Feb/<b onmouseover=alert(2)>Bank<\/b>/g' \
      "$demo/$t.jsonl" >"$work/hostile/$t.jsonl"
done
"$usbexfil" run -q "$work/hostile" --format html -o "$work/hostile.html"
"$usbexfil" run -q "$work/hostile" -o "$work/hostile.jsonl"
[ "$(wc -l <"$work/hostile.jsonl")" -eq 2 ] || { echo "hostile demo: expected 2 findings" >&2; exit 1; }
check "$work/hostile.html" "$work/hostile.jsonl" hostile

# --enrich: the demo day, and the hostile one with markup in a drive's serial number.
"$usbexfil" run -q "$demo" --enrich --format html -o "$work/enriched.html"
"$usbexfil" run -q "$demo" --enrich -o "$work/enriched.jsonl"
check "$work/enriched.html" "$work/enriched.jsonl" "demo --enrich"
sed -i 's/60A44C4138A2F3B0B9D61E07/<svg onload=alert(3)>/' "$work/hostile/DeviceEvents.jsonl"
"$usbexfil" run -q "$work/hostile" --enrich --format html -o "$work/hostile.html"
"$usbexfil" run -q "$work/hostile" --enrich -o "$work/hostile.jsonl"
grep -q '<svg onload' "$work/hostile.jsonl" || { echo "hostile serial number not in the findings" >&2; exit 1; }
check "$work/hostile.html" "$work/hostile.jsonl" "hostile --enrich"
