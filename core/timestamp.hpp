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

namespace usersctl {

/// A `timestamp without time zone` as PostgreSQL writes it under DateStyle ISO
/// (`YYYY-MM-DD HH:MM:SS[.f...]`, years of four or more digits, ` BC` after years before 1),
/// appended to `out` as usersctl prints last_login_at: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, exactly
/// what `to_char(value, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` gives on the server (which drops the
/// era). Returns false, appending nothing, for `infinity` and `-infinity` (to_char gives NULL).
/// Formatting on the client spares the server a to_char per row (a quarter of an export's
/// server time). Throws InternalError for text that is not such a value.
bool append_iso8601_from_postgres(std::string_view postgres_text, std::string& out);

/// Orders two values as PostgreSQL writes them under DateStyle ISO (see above): negative when
/// `a` is earlier, 0 when equal, positive when later. Throws InternalError as above.
int compare_postgres_timestamps(std::string_view a, std::string_view b);

}  // namespace usersctl
