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

/// Whether `text`, which parse_iso8601_utc refuses, is a time in a year before 1 or after 9999,
/// which PostgreSQL holds but the web app's Python datetime cannot: as usersctl prints one
/// (`0044-03-15T12:00:00.000000Z BC`, `12345-01-01T00:00:00.000000Z`), with ISO 8601's sign
/// (`-0043-03-15`, `+12345-01-01`), or a time its offset moves past 9999-12-31 or before 0001-01-01.
bool iso8601_outside_python_years(std::string_view text);

}  // namespace usersctl

namespace usersctl {

/// A `timestamp without time zone` as PostgreSQL writes it under DateStyle ISO
/// (`YYYY-MM-DD HH:MM:SS[.f...]`, years of four or more digits, ` BC` after years before 1),
/// appended to `out` as usersctl prints last_login_at: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (without
/// `.ffffff` when `with_fraction` is false), then ` BC` for a year before 1, as PostgreSQL's own
/// to_json writes the era; `infinity` and `-infinity` as they are. Every value is printed as
/// what it is: none is dropped or moved to another era. Formatting on the client spares the
/// server a to_char per row (a quarter of an export's server time). Throws InternalError for
/// text that is not such a value.
void append_iso8601_from_postgres(std::string_view postgres_text, std::string& out, bool with_fraction = true);

/// Whether the web app can load a value PostgreSQL wrote as above: Python's datetime holds the
/// years 1 to 9999, and psycopg2 reads `infinity` and `-infinity` as datetime.max and
/// datetime.min; a year before 1 or after 9999 raises ValueError when the row is loaded.
/// Throws InternalError as above.
bool python_datetime_can_hold(std::string_view postgres_text);

/// Orders two values as PostgreSQL writes them under DateStyle ISO (see above): negative when
/// `a` is earlier, 0 when equal, positive when later. Throws InternalError as above.
int compare_postgres_timestamps(std::string_view a, std::string_view b);

}  // namespace usersctl
