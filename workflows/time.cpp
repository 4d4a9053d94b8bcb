#include "workflows/time.h"

#include <algorithm>
#include <charconv>

namespace benefitd::workflows {

namespace {

std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  // from_chars alone would also take a sign: "T-9:00:00Z" must not read as an hour of -9.
  const std::string_view field = text.substr(pos, count);
  if (!std::all_of(field.begin(), field.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  int value = 0;
  const char* first = text.data() + pos;
  const auto [end, error] = std::from_chars(first, first + count, value);
  if (error != std::errc{} || end != first + count) return std::nullopt;
  return value;
}

bool isWeekday(Time t) {
  const std::chrono::weekday day{std::chrono::floor<days>(t)};
  return day != std::chrono::Saturday && day != std::chrono::Sunday;
}

}  // namespace

std::string formatTime(Time t) {
  const auto day = std::chrono::floor<days>(t);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{t - day};
  // By hand: formatting times is a good part of rendering views, and printf is slow at it.
  std::string text;
  text.reserve(20);
  const auto two_digits = [&text](long value) {
    text.push_back(static_cast<char>('0' + value / 10));
    text.push_back(static_cast<char>('0' + value % 10));
  };
  const int year = static_cast<int>(date.year());
  if (year >= 0 && year <= 9999) {
    two_digits(year / 100);
    two_digits(year % 100);
  } else {
    char digits[16];
    char* end = std::to_chars(digits, digits + sizeof digits, year).ptr;
    text.append(digits, end);
  }
  text.push_back('-');
  two_digits(static_cast<unsigned>(date.month()));
  text.push_back('-');
  two_digits(static_cast<unsigned>(date.day()));
  text.push_back('T');
  two_digits(clock.hours().count());
  text.push_back(':');
  two_digits(clock.minutes().count());
  text.push_back(':');
  two_digits(static_cast<long>(clock.seconds().count()));
  text.push_back('Z');
  return text;
}

std::optional<Time> parseTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
      text[13] != ':' || text[16] != ':')
    return std::nullopt;
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  std::size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    const std::size_t fractionStart = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == fractionStart) return std::nullopt;
  }
  if (pos + 1 != text.size() || (text[pos] != 'Z' && text[pos] != 'z')) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*year}, std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  return Time{std::chrono::sys_days{date}} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
         std::chrono::seconds{*second};
}

Time addBusinessDays(Time start, int count) {
  Time t = start;
  for (int counted = 0; counted < count;) {
    t += days{1};
    if (isWeekday(t)) ++counted;
  }
  return t;
}

}  // namespace benefitd::workflows
