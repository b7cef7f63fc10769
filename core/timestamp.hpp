#pragma once
// Points in time given by people: ISO 8601 dates and date-times, turned into UTC, which is how
// the web app stores last_login_at (a timestamp without a zone, in UTC).

#include <optional>
#include <string>
#include <string_view>

namespace usersctl {

/// Parses `YYYY-MM-DD`, or `YYYY-MM-DD` then `T` (or a space) and `HH:MM`, `HH:MM:SS` or
/// `HH:MM:SS.ffffff` (up to 6 fraction digits), then optionally `Z` or an offset `+HH:MM`,
/// `+HHMM` or `+HH` (or `-`). A date alone is midnight; no offset means UTC. Returns the UTC time
/// as `YYYY-MM-DD HH:MM:SS.ffffff`, which PostgreSQL reads as a timestamp, or nullopt when the
/// text is not such a time or names a day that does not exist.
std::optional<std::string> parse_iso8601_utc(std::string_view text);

}  // namespace usersctl
