#pragma once
// Writes rows of text values to stdout as an aligned table, CSV (RFC 4180), TSV, a JSON array
// or JSON Lines, streaming: memory does not grow with the number of rows.

#include "core/text.hpp"  // escape_for_terminal and json_string lived here; callers still find them

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace usersctl {

enum class RecordFormat { table, csv, tsv, json, jsonl };

/// How values are written. `safe` (list, read by people): control characters escaped visibly
/// in every format, and CSV/TSV cells a spreadsheet would run as a formula prefixed with "'".
/// `raw` (export, and list --raw): the bytes as stored, with only the format's own quoting.
enum class OutputSafety { safe, raw };

/// Parses "table", "csv", "tsv", "json", "jsonl"; throws UsageError otherwise.
RecordFormat parse_record_format(const std::string& name);

struct RecordColumn {
    std::string name;
    bool numeric = false;  ///< written as a JSON number
};

class RecordWriter {
public:
    RecordWriter(RecordFormat format, std::vector<RecordColumn> columns, OutputSafety safety = OutputSafety::safe);
    /// One cell: a view of the value (it need only live during add()), nullopt for NULL.
    using Cell = std::optional<std::string_view>;
    /// Adds one row. Throws OutputError / OutputClosed from stdout.
    void add(const std::vector<Cell>& values);
    /// Writes whatever is pending (the table header for an empty result, the closing ']').
    void finish();

private:
    std::string delimited_header() const;
    void write_table_rows(const std::vector<std::vector<std::string>>& rows);

    RecordFormat m_format;
    OutputSafety m_safety;
    std::vector<RecordColumn> m_columns;
    std::vector<std::size_t> m_widths;
    std::vector<std::vector<std::string>> m_pending;  ///< table: first rows, to size the columns
    std::string m_line;                               ///< csv/tsv: the row being built
    bool m_started = false;
};

/// A CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF (or when `quote`).
std::string csv_field(std::string_view text);
/// Appends csv_field(text) to `out`.
void append_csv_field(std::string& out, std::string_view text, bool quote = false);

/// A CSV field safe to show and to open in a spreadsheet: controls other than TAB, LF and CRLF
/// escaped visibly, and a cell starting with = + - @ TAB or CR prefixed with "'" and quoted
/// (OWASP's CSV injection advice).
std::string safe_csv_field(std::string_view text);
/// Appends safe_csv_field(text) to `out`.
void append_safe_csv_field(std::string& out, std::string_view text);
/// A TSV field: backslash, TAB, LF and CR escaped (the format's own escapes); when `safe`, also
/// every other control character and invalid UTF-8 byte, and a formula start prefixed with "'".
std::string tsv_field(std::string_view text, bool safe);

}  // namespace usersctl
