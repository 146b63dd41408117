// String comparisons of the rule (semantics.md, "Comparisons"): exact byte equality for `==`,
// `in` and join keys; ASCII-only case folding for `=~`, `in~` and `startswith`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace usbexfil {

/// Lower-cases ASCII A-Z; every other byte (UTF-8 included) is unchanged.
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

/// The text with ASCII letters lower-cased: the key under which `=~`/`in~` compare.
std::string ascii_fold(std::string_view text);

/// ascii_fold into `out` (replacing its content), reusing its capacity.
void ascii_fold_into(std::string &out, std::string_view text);

/// Kusto `=~`: whole-string equality ignoring the case of ASCII letters only.
bool ascii_iequals(std::string_view a, std::string_view b);

/// Kusto `startswith`: `text` begins with `prefix`, ignoring the case of ASCII letters only.
bool ascii_istarts_with(std::string_view text, std::string_view prefix);

/// Appends `text` as a JSON string literal (quotes, escapes for `"`, `\` and control bytes).
void append_json_string(std::string &out, std::string_view text);

/// `text` made safe for a terminal: every C0 control byte and DEL as `\xHH`, every C1 control
/// (U+0080-U+009F, UTF-8 `C2 80`-`C2 9F`) as `\u00HH`; everything else, invalid UTF-8 and
/// backslashes included, as it is (the text is for people, not for parsing). Every message on
/// stderr goes through this, so a file name or an input value cannot drive the terminal.
std::string escape_terminal(std::string_view text);

/// escape_terminal appended to `out`.
void append_terminal_escaped(std::string &out, std::string_view text);

/// Appends `text` for HTML text or a quoted attribute: `&`, `<`, `>`, `"` and `'` as entities,
/// control bytes as escape_terminal shows them.
void append_html_escaped(std::string &out, std::string_view text);

/// "1 file", "3 files": a count and its noun, with an "s" unless the count is 1.
std::string plural(std::uint64_t n, std::string_view word);

/// "1 copy", "3 copies": a count and the noun's singular or plural form.
std::string plural(std::uint64_t n, std::string_view one, std::string_view many);

/// "812 bytes", "61.0 kB", "310.4 MB", "5.58 GB" (decimal units): sizes for people, in the
/// summary, the progress line and the HTML report.
std::string human_bytes(std::uint64_t bytes);

} // namespace usbexfil
