// Datetime parsing and formatting. The grammar is deliberately strict (semantics.md, "Values"):
// `YYYY-MM-DD`, `T` or one space, `HH:MM:SS`, an optional `.` with one or more digits (the 8th
// and later are dropped), then `Z`, `+HH:MM`, `-HH:MM` or nothing. Lower-case `t`/`z`, an offset
// without its colon, surrounding spaces and impossible dates are null.
#include "usbexfil/datetime.hpp"

#include <fmt/format.h>

#include <array>

namespace usbexfil {
namespace {

constexpr std::int64_t SECONDS_PER_DAY = 86'400;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits at `pos`; -1 if any is not a digit or the text is too short.
int read_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) {
    return -1;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (!is_digit(c)) {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : DAYS[static_cast<std::size_t>(month - 1)];
}

// Days from 0001-01-01 to the given proleptic Gregorian date.
std::int64_t days_from_civil(int year, int month, int day) {
  static constexpr std::array<int, 12> BEFORE = {0,   31,  59,  90,  120, 151,
                                                 181, 212, 243, 273, 304, 334};
  const std::int64_t y = year - 1;
  std::int64_t days = y * 365 + y / 4 - y / 100 + y / 400;
  days += BEFORE[static_cast<std::size_t>(month - 1)] + day - 1;
  if (month > 2 && is_leap(year)) {
    ++days;
  }
  return days;
}

struct CivilDate {
  int year;
  int month;
  int day;
};

CivilDate civil_from_days(std::int64_t days) {
  // Walk 400-year cycles (146097 days), then years; simple and exact for 0001-9999.
  int year = 1 + static_cast<int>(days / 146'097) * 400;
  days %= 146'097;
  while (true) {
    const int length = is_leap(year) ? 366 : 365;
    if (days < length) {
      break;
    }
    days -= length;
    ++year;
  }
  int month = 1;
  while (days >= days_in_month(year, month)) {
    days -= days_in_month(year, month);
    ++month;
  }
  return {year, month, static_cast<int>(days) + 1};
}

// Reads the zone suffix at `pos` into an offset in seconds; false if the suffix is invalid.
bool read_zone(std::string_view text, std::size_t pos, std::int64_t &offset_seconds) {
  offset_seconds = 0;
  if (pos == text.size()) {
    return true;
  }
  if (text[pos] == 'Z') {
    return pos + 1 == text.size();
  }
  if (text[pos] != '+' && text[pos] != '-') {
    return false;
  }
  if (text.size() != pos + 6 || text[pos + 3] != ':') {
    return false;
  }
  const int hours = read_digits(text, pos + 1, 2);
  const int minutes = read_digits(text, pos + 4, 2);
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) {
    return false;
  }
  offset_seconds =
      (std::int64_t{hours} * 3600 + std::int64_t{minutes} * 60) * (text[pos] == '+' ? 1 : -1);
  return true;
}

} // namespace

Datetime parse_datetime(std::string_view text) {
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return Datetime::null();
  }
  const int year = read_digits(text, 0, 4);
  const int month = read_digits(text, 5, 2);
  const int day = read_digits(text, 8, 2);
  const int hour = read_digits(text, 11, 2);
  const int minute = read_digits(text, 14, 2);
  const int second = read_digits(text, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return Datetime::null();
  }
  std::size_t pos = 19;
  std::int64_t fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t first = pos;
    while (pos < text.size() && is_digit(text[pos])) {
      if (pos - first < 7) {
        fraction = fraction * 10 + (text[pos] - '0');
      }
      ++pos;
    }
    if (pos == first) {
      return Datetime::null();
    }
    for (std::size_t n = pos - first; n < 7; ++n) {
      fraction *= 10;
    }
  }
  std::int64_t offset = 0;
  if (!read_zone(text, pos, offset)) {
    return Datetime::null();
  }
  const std::int64_t seconds = days_from_civil(year, month, day) * SECONDS_PER_DAY +
                               std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second -
                               offset;
  if (seconds < 0) {
    return Datetime::null(); // an offset that moves 0001-01-01 before the epoch of ticks
  }
  // Nor past 9999-12-31T23:59:59.9999999Z, Kusto's largest datetime (which a negative offset
  // on the last day of 9999 would reach, and which four year digits could not print).
  if (seconds >= (days_from_civil(9999, 12, 31) + 1) * SECONDS_PER_DAY) {
    return Datetime::null();
  }
  return Datetime::from_ticks(seconds * TICKS_PER_SECOND + fraction);
}

Datetime min_skip_null(Datetime a, Datetime b) {
  if (a.is_null()) {
    return b;
  }
  if (b.is_null()) {
    return a;
  }
  return a.ticks() <= b.ticks() ? a : b;
}

Datetime max_skip_null(Datetime a, Datetime b) {
  if (a.is_null()) {
    return b;
  }
  if (b.is_null()) {
    return a;
  }
  return a.ticks() >= b.ticks() ? a : b;
}

void append_datetime(std::string &out, Datetime value) {
  if (value.is_null()) {
    return;
  }
  const std::int64_t ticks = value.ticks();
  const std::int64_t seconds = ticks / TICKS_PER_SECOND;
  const CivilDate date = civil_from_days(seconds / SECONDS_PER_DAY);
  const std::int64_t in_day = seconds % SECONDS_PER_DAY;
  // Fixed-width decimal fields, written right to left: YYYY-MM-DDTHH:MM:SS.fffffffZ
  char text[] = "0000-00-00T00:00:00.0000000Z";
  const auto put = [&](std::size_t end, std::int64_t number, int width) {
    for (int i = 0; i < width; ++i) {
      text[end - static_cast<std::size_t>(i)] = static_cast<char>('0' + number % 10);
      number /= 10;
    }
  };
  put(3, date.year, 4);
  put(6, date.month, 2);
  put(9, date.day, 2);
  put(12, in_day / 3600, 2);
  put(15, in_day / 60 % 60, 2);
  put(18, in_day % 60, 2);
  put(26, ticks % TICKS_PER_SECOND, 7);
  out.append(text, sizeof(text) - 1);
}

std::string format_datetime(Datetime value) {
  std::string out;
  append_datetime(out, value);
  return out;
}

} // namespace usbexfil
