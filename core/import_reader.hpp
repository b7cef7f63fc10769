#pragma once
// Reads the records of an import file: CSV (RFC 4180, through libcsv) with a header row, or JSON
// Lines (through nlohmann::json). Streaming: one record at a time, whatever the file's size.
// Records that cannot be read come back with a problem and their line number, never their
// content (a record may hold a password); the reader carries on with the next one.

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace usersctl {

/// detect: JSON Lines when the first byte that is not a blank or line break is `{`, else CSV.
enum class ImportFormat { csv, jsonl, detect };

/// Parses "csv" or "jsonl"; throws UsageError otherwise.
ImportFormat parse_import_format(const std::string& name);

/// Parses a CSV delimiter: one printable ASCII punctuation character other than `"` (`,` `;`
/// `|` ...), a TAB, or the word `tab`; throws UsageError otherwise.
char parse_csv_delimiter(const std::string& text);

/// How an import file is read.
struct ImportReaderOptions {
    ImportFormat format = ImportFormat::csv;
    char delimiter = ',';             ///< CSV only
    bool password_optional = false;   ///< a CSV header may lack both password columns (generated passwords)
};

/// The columns an import file may have (`id` is accepted so that an export re-imports; the
/// target table assigns ids).
enum class ImportColumn : std::size_t { id, email, first_name, last_name, password, password_hash, last_login_at, login_count };
constexpr std::size_t k_import_column_count = 8;

/// The name of a column as it appears in a header or a JSON key.
const char* import_column_name(ImportColumn column);

/// One record. A field is nullopt when the column is absent or the field empty (JSON: null).
/// The password field is wiped when the record is reset or destroyed.
struct ImportRecord {
    std::uint64_t line = 0;  ///< the line the record starts on, 1-based
    std::array<std::optional<std::string>, k_import_column_count> fields;
    std::string problem;     ///< non-empty: the record could not be read (why, never what)

    ImportRecord() = default;
    ImportRecord(ImportRecord&& other) noexcept = default;
    ImportRecord& operator=(ImportRecord&& other) noexcept;
    ImportRecord(const ImportRecord&) = delete;
    ImportRecord& operator=(const ImportRecord&) = delete;
    ~ImportRecord();

    std::optional<std::string>& operator[](ImportColumn c) { return fields[static_cast<std::size_t>(c)]; }
    const std::optional<std::string>& operator[](ImportColumn c) const { return fields[static_cast<std::size_t>(c)]; }
    /// Wipes the password and empties the record.
    void reset();
};

/// Reads up to `size` bytes into `buffer`; 0 at the end of the input. Throws on a read error.
using ImportSource = std::function<std::size_t(char* buffer, std::size_t size)>;

class ImportReader {
public:
    /// The longest record accepted; longer ones are bad rows (memory stays bounded).
    static constexpr std::size_t k_max_record_bytes = 1 << 20;

    ImportReader(ImportFormat format, ImportSource source);
    ImportReader(const ImportReaderOptions& options, ImportSource source);
    ~ImportReader();
    ImportReader(const ImportReader&) = delete;
    ImportReader& operator=(const ImportReader&) = delete;

    /// The next record, false at the end. For CSV, the first call reads the header and throws
    /// InvalidInput when it is missing, names unknown or repeated columns, or lacks `email` or
    /// (unless password_optional) both `password` and `password_hash`.
    bool next(ImportRecord& record);

    /// The columns the file has (CSV: from its header; JSON Lines: those seen so far).
    const std::vector<ImportColumn>& columns() const { return m_columns; }
    /// The format being read: ImportFormat::detect is resolved by the first call to next().
    ImportFormat format() const { return m_options.format; }
    /// Bytes consumed from the source so far.
    std::uint64_t bytes_read() const { return m_bytes_read; }

    struct CsvState;  ///< defined in import_reader_csv.cpp, with libcsv
    struct CsvStateDelete {
        void operator()(CsvState* state) const;
    };

private:
    bool fill();  ///< reads and parses one more chunk; false at the end of the input
    std::size_t read_start(std::size_t got);  ///< tops up the first read; skips a BOM, resolves detect
    static std::unique_ptr<CsvState, CsvStateDelete> new_csv_state(char delimiter);
    void parse_csv_chunk(const char* data, std::size_t size);
    void finish_csv();
    void take_csv_records();
    void csv_failed(bool too_long);
    void read_header(const std::vector<std::string>& names);
    std::optional<char> delimiter_hint(const std::vector<std::string>& names) const;
    void parse_jsonl_chunk(const char* data, std::size_t size);
    void finish_jsonl_line();

    ImportReaderOptions m_options;
    ImportSource m_source;
    std::vector<char> m_buffer;
    std::deque<ImportRecord> m_ready;
    std::vector<ImportColumn> m_columns;
    std::unique_ptr<CsvState, CsvStateDelete> m_csv;
    std::string m_line;          ///< JSON Lines: the line being gathered
    bool m_line_too_long = false;
    std::uint64_t m_line_number = 1;
    std::uint64_t m_bytes_read = 0;
    bool m_started = false;
    bool m_eof = false;
    bool m_header_read = false;
};

}  // namespace usersctl
