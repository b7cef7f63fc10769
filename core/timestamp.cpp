#include "core/timestamp.hpp"

#include <cstdio>
#include <ctime>

namespace usersctl {

namespace {

// Reads exactly `count` ASCII digits at `pos`, moving past them.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t count)
{
    if (pos + count > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool take(std::string_view text, std::size_t& pos, char c)
{
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

// The offset east of UTC in minutes, from `Z`, `+HH:MM`, `+HHMM` or `+HH` (or `-`).
std::optional<int> offset_minutes(std::string_view text, std::size_t& pos)
{
    if (take(text, pos, 'Z') || take(text, pos, 'z')) {
        return 0;
    }
    const bool east = take(text, pos, '+');
    if (!east && !take(text, pos, '-')) {
        return std::nullopt;
    }
    const auto hours = digits(text, pos, 2);
    int minutes = 0;
    if (pos < text.size()) {
        take(text, pos, ':');
        const auto m = digits(text, pos, 2);
        if (!m) {
            return std::nullopt;
        }
        minutes = *m;
    }
    if (!hours || *hours > 23 || minutes > 59) {
        return std::nullopt;
    }
    return (east ? 1 : -1) * (*hours * 60 + minutes);
}

}  // namespace

std::optional<std::string> parse_iso8601_utc(std::string_view text)
{
    std::size_t pos = 0;
    const auto year = digits(text, pos, 4);
    if (!year || !take(text, pos, '-')) {
        return std::nullopt;
    }
    const auto month = digits(text, pos, 2);
    if (!month || !take(text, pos, '-') || *month < 1 || *month > 12) {
        return std::nullopt;
    }
    const auto day = digits(text, pos, 2);
    if (!day || *day < 1 || *day > days_in_month(*year, *month)) {
        return std::nullopt;
    }
    int hour = 0, minute = 0, second = 0, micro = 0, offset = 0;
    if (pos < text.size()) {
        if (!take(text, pos, 'T') && !take(text, pos, 't') && !take(text, pos, ' ')) {
            return std::nullopt;
        }
        const auto h = digits(text, pos, 2);
        const auto m = take(text, pos, ':') ? digits(text, pos, 2) : std::nullopt;
        if (!h || !m || *h > 23 || *m > 59) {
            return std::nullopt;
        }
        hour = *h;
        minute = *m;
        if (take(text, pos, ':')) {
            const auto s = digits(text, pos, 2);
            if (!s || *s > 59) {
                return std::nullopt;
            }
            second = *s;
            if (take(text, pos, '.') || take(text, pos, ',')) {
                std::size_t count = 0;
                for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++count) {
                    if (count < 6) {
                        micro = micro * 10 + (text[pos] - '0');
                    } else {
                        return std::nullopt;  // finer than PostgreSQL keeps: refused, not rounded
                    }
                }
                if (count == 0) {
                    return std::nullopt;
                }
                for (; count < 6; ++count) {
                    micro *= 10;
                }
            }
        }
        if (pos < text.size()) {
            const auto o = offset_minutes(text, pos);
            if (!o || pos != text.size()) {
                return std::nullopt;
            }
            offset = *o;
        }
    }
    // libc's UTC calendar arithmetic: timegm normalises, gmtime_r reads the result back.
    std::tm local{};
    local.tm_year = *year - 1900;
    local.tm_mon = *month - 1;
    local.tm_mday = *day;
    local.tm_hour = hour;
    local.tm_min = minute - offset;
    local.tm_sec = second;
    const std::time_t utc = ::timegm(&local);
    std::tm shifted{};
    if (::gmtime_r(&utc, &shifted) == nullptr || shifted.tm_year + 1900 < 1 || shifted.tm_year + 1900 > 9999) {
        return std::nullopt;
    }
    char out[96];  // room for any int in each field, as the compiler checks
    std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d:%02d.%06d", shifted.tm_year + 1900, shifted.tm_mon + 1,
                  shifted.tm_mday, shifted.tm_hour, shifted.tm_min, shifted.tm_sec, micro);
    return std::string(out);
}

}  // namespace usersctl
