// The explanation as text for people and as one JSON document for tools (docs/explain.md).
// Text: the funnel as a table with right-aligned counts, then one block per alert; every line
// passes through escape_terminal, so a value from the data cannot drive the terminal.
#include "explain/explain_internal.hpp"

#include "usbexfil/text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace usbexfil {
namespace {

using explain::when;

std::string keys_text(const FunnelStep &step) {
  std::string text;
  for (const auto &[name, count] : step.keys) {
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", count, name);
  }
  return text;
}

std::string seconds_text(double seconds) { return fmt::format("{:.1f} ms", seconds * 1000); }

std::string candidate_text(const Candidate &c) {
  std::string text;
  const std::string span =
      c.start == c.end ? when(c.start) : fmt::format("{} to {}", when(c.start), when(c.end));
  if (c.kind == "downloads") {
    text = fmt::format("downloads by {} (account {}, IP {}): {} file{}, {}", c.user, c.account,
                       c.ip, c.files, c.files == 1 ? "" : "s", span);
  } else if (c.kind == "copies" || c.kind == "writes") {
    text = fmt::format("{} by {} on {}: {} path{}, {}", c.kind, c.user, c.device, c.files,
                       c.files == 1 ? "" : "s", span);
  } else if (c.kind == "mount") {
    text = fmt::format("mount of {} on {} at {}{}", c.drive, c.device, when(c.start),
                       c.user.empty() ? "" : fmt::format(", copies by {}", c.user));
  } else {
    text = fmt::format("finding: {} on {}, {} mounted at {}, {} matched file{}", c.user, c.device,
                       c.drive, when(c.start), c.files, c.files == 1 ? "" : "s");
  }
  if (!c.sample.empty()) {
    text += fmt::format(" (e.g. {})", c.sample);
  }
  if (!c.note.empty() && c.kind != "finding") {
    text += "; " + c.note;
  }
  return text;
}

std::string list_text(const std::vector<std::string> &values) {
  if (values.empty()) {
    return "(none)";
  }
  std::string text;
  for (const std::string &value : values) {
    text += (text.empty() ? "" : ", ") + (value.empty() ? std::string("\"\"") : value);
  }
  return text;
}

void json_key(std::string &out, std::string_view key) {
  append_json_string(out, key);
  out += ':';
}

void json_time(std::string &out, Datetime time) {
  if (time.is_null()) {
    out += "null";
  } else {
    append_json_string(out, format_datetime(time));
  }
}

void json_strings(std::string &out, const std::vector<std::string> &values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += i ? "," : "";
    append_json_string(out, values[i]);
  }
  out += ']';
}

} // namespace

std::string format_explanation_text(const Explanation &e) {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"stage", "step", "in", "out", "keys", "time"});
  for (const FunnelStep &step : e.funnel) {
    rows.push_back({std::to_string(step.stage), step.label,
                    step.ran ? std::to_string(step.rows_in) : "not read",
                    step.ran ? std::to_string(step.rows_out) : "-", keys_text(step),
                    seconds_text(step.seconds)});
  }
  std::array<std::size_t, 6> width{};
  for (const auto &row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  std::string out = "Funnel\n";
  for (const auto &row : rows) {
    // The time comes last and unpadded: the columns before it do not move with its width.
    std::string line =
        fmt::format("  {:>{}}  {:<{}}  {:>{}}  {:>{}}  {:<{}}  {}", row[0], width[0], row[1],
                    width[1], row[2], width[2], row[3], width[3], row[4], width[4], row[5]);
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += escape_terminal(line) + '\n';
  }
  out += fmt::format("\nAlerts that passed stage 1: {}\n", e.alerts.size());
  for (const AlertVerdict &v : e.alerts) {
    out += '\n';
    const auto line = [&](std::string_view text) { out += escape_terminal(text) + '\n'; };
    line(fmt::format("alert {}  {} ({})", when(v.alert_time), v.alert_name, v.status));
    line(fmt::format("  accounts  {}", list_text(v.accounts)));
    line(fmt::format("  ips       {}", list_text(v.ips)));
    line(fmt::format("  stage {}   {}: {}", v.stage, v.verdict, v.reason));
    for (const Candidate &c : v.candidates) {
      line(fmt::format("    - {}", candidate_text(c)));
    }
    if (v.more_candidates > 0) {
      line(fmt::format("    ... and {} more", v.more_candidates));
    }
  }
  out += fmt::format("\n{} finding{}\n", e.findings, e.findings == 1 ? "" : "s");
  return out;
}

std::string format_explanation_json(const Explanation &e) {
  std::string out = "{\"funnel\":[";
  for (std::size_t i = 0; i < e.funnel.size(); ++i) {
    const FunnelStep &step = e.funnel[i];
    out += i ? ",\n" : "\n";
    out += fmt::format("{{\"stage\":{},", step.stage);
    json_key(out, "step");
    append_json_string(out, step.step);
    out += ',';
    json_key(out, "label");
    append_json_string(out, step.label);
    out += fmt::format(",\"ran\":{},\"rows_in\":{},\"rows_out\":{},\"keys\":{{",
                       step.ran ? "true" : "false", step.rows_in, step.rows_out);
    for (std::size_t k = 0; k < step.keys.size(); ++k) {
      out += k ? "," : "";
      json_key(out, step.keys[k].first);
      out += std::to_string(step.keys[k].second);
    }
    out += fmt::format("}},\"seconds\":{:.6f}}}", step.seconds);
  }
  out += "],\n\"alerts\":[";
  for (std::size_t i = 0; i < e.alerts.size(); ++i) {
    const AlertVerdict &v = e.alerts[i];
    out += i ? ",\n" : "\n";
    out += '{';
    json_key(out, "alert_time");
    json_time(out, v.alert_time);
    out += ',';
    json_key(out, "alert_name");
    append_json_string(out, v.alert_name);
    out += ',';
    json_key(out, "status");
    append_json_string(out, v.status);
    out += ',';
    json_key(out, "accounts");
    json_strings(out, v.accounts);
    out += ',';
    json_key(out, "ips");
    json_strings(out, v.ips);
    out += fmt::format(",\"stage\":{},", v.stage);
    json_key(out, "verdict");
    append_json_string(out, v.verdict);
    out += ',';
    json_key(out, "reason");
    append_json_string(out, v.reason);
    out += fmt::format(",\"findings\":{},\"candidates\":[", v.findings);
    for (std::size_t c = 0; c < v.candidates.size(); ++c) {
      const Candidate &cand = v.candidates[c];
      out += c ? "," : "";
      out += '{';
      json_key(out, "kind");
      append_json_string(out, cand.kind);
      for (const auto &[key, value] :
           {std::pair{"account", &cand.account}, std::pair{"ip", &cand.ip},
            std::pair{"user", &cand.user}, std::pair{"device", &cand.device},
            std::pair{"drive", &cand.drive}}) {
        if (!value->empty()) {
          out += ',';
          json_key(out, key);
          append_json_string(out, *value);
        }
      }
      out += ',';
      json_key(out, "start");
      json_time(out, cand.start);
      out += ',';
      json_key(out, "end");
      json_time(out, cand.end);
      out += fmt::format(",\"files\":{},", cand.files);
      json_key(out, "sample");
      append_json_string(out, cand.sample);
      out += ',';
      json_key(out, "note");
      append_json_string(out, cand.note);
      out += '}';
    }
    out += fmt::format("],\"more_candidates\":{}}}", v.more_candidates);
  }
  out += fmt::format("],\n\"findings\":{},\"seconds\":{:.6f}}}\n", e.findings, e.seconds);
  return out;
}

} // namespace usbexfil
