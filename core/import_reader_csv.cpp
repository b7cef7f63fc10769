// ImportReader's CSV half: RFC 4180 through libcsv, a header row naming the columns, every
// buffer that held a field wiped before it is freed.

#include "core/errors.hpp"
#include "core/import_reader.hpp"
#include "core/import_reader_detail.hpp"
#include "core/secret.hpp"
#include "core/shared_library.hpp"
#include "shared_libraries.hpp"

#include <algorithm>
#include <csv.h>
#include <cstdlib>
#include <cstring>

namespace usersctl {

namespace {

// libcsv is loaded the first time a CSV file is read, not at every start (core/shared_library).
struct LibCsv {
    decltype(&csv_init) init;
    decltype(&csv_free) free;
    decltype(&csv_set_space_func) set_space_func;
    decltype(&csv_set_delim) set_delim;
    decltype(&csv_set_realloc_func) set_realloc_func;
    decltype(&csv_set_free_func) set_free_func;
    decltype(&csv_parse) parse;
    decltype(&csv_error) error;
    decltype(&csv_fini) fini;
};

const LibCsv& libcsv()
{
    static const LibCsv loaded = [] {
        const SharedLibrary library(k_csv_soname);
        LibCsv csv{};
        csv.init = library.function<decltype(csv.init)>("csv_init");
        csv.free = library.function<decltype(csv.free)>("csv_free");
        csv.set_space_func = library.function<decltype(csv.set_space_func)>("csv_set_space_func");
        csv.set_delim = library.function<decltype(csv.set_delim)>("csv_set_delim");
        csv.set_realloc_func = library.function<decltype(csv.set_realloc_func)>("csv_set_realloc_func");
        csv.set_free_func = library.function<decltype(csv.set_free_func)>("csv_set_free_func");
        csv.parse = library.function<decltype(csv.parse)>("csv_parse");
        csv.error = library.function<decltype(csv.error)>("csv_error");
        csv.fini = library.function<decltype(csv.fini)>("csv_fini");
        return csv;
    }();
    return loaded;
}

// "column 3" or, when the text may be shown, "column 3 'pasword'".
std::string describe_column(std::size_t position, const std::string& text, bool show_text)
{
    std::string out = "column " + std::to_string(position);
    if (show_text && looks_like_identifier(text)) {
        out += " '" + text + "'";
    }
    return out;
}

// libcsv's buffers hold fields, passwords among them: every block it frees is wiped first. The
// block's size sits in a header in front of it, since free() is not told the size.
constexpr std::size_t k_header = alignof(std::max_align_t);
constexpr std::size_t k_max_parser_buffer = ImportReader::k_max_record_bytes + 4096;

void* wiping_realloc(void* block, std::size_t size)
{
    if (size > k_max_parser_buffer) {
        return nullptr;  // libcsv reports CSV_ENOMEM: the record is too long
    }
    auto* fresh = static_cast<unsigned char*>(std::malloc(size + k_header));
    if (fresh == nullptr) {
        return nullptr;
    }
    std::memcpy(fresh, &size, sizeof size);
    if (block != nullptr) {
        auto* old = static_cast<unsigned char*>(block) - k_header;
        std::size_t old_size = 0;
        std::memcpy(&old_size, old, sizeof old_size);
        std::memcpy(fresh + k_header, block, std::min(old_size, size));
        wipe(old, old_size + k_header);
        std::free(old);
    }
    return fresh + k_header;
}

void wiping_free(void* block)
{
    if (block == nullptr) {
        return;
    }
    auto* base = static_cast<unsigned char*>(block) - k_header;
    std::size_t size = 0;
    std::memcpy(&size, base, sizeof size);
    wipe(base, size + k_header);
    std::free(base);
}

int no_spaces(unsigned char) { return 0; }

std::string delimiter_name(char delimiter)
{
    return delimiter == '\t' ? std::string("TABs") : "'" + std::string(1, delimiter) + "'";
}  // RFC 4180: spaces belong to the field

void wipe_all(std::vector<std::string>& fields)
{
    for (auto& f : fields) {
        wipe(f);
    }
    fields.clear();
}

}  // namespace

struct ImportReader::CsvState {
    csv_parser parser{};
    std::vector<std::string> fields;       ///< the record being read, as in the file
    std::size_t record_bytes = 0;
    std::uint64_t record_line = 1;
    bool too_long = false;
    std::vector<std::optional<ImportColumn>> mapping;  ///< file column -> import column
    struct Finished {
        std::vector<std::string> fields;
        bool too_long = false;
    };
    std::vector<Finished> finished;  ///< records completed by the last parse

    unsigned char delimiter = ',';

    explicit CsvState(char delim) : delimiter(static_cast<unsigned char>(delim)) { reinit(); }
    ~CsvState()
    {
        libcsv().free(&parser);
        clear_fields();
        for (auto& f : finished) {
            wipe_all(f.fields);
        }
    }
    void reinit()
    {
        libcsv().init(&parser, CSV_STRICT | CSV_STRICT_FINI);
        libcsv().set_space_func(&parser, no_spaces);
        libcsv().set_delim(&parser, delimiter);
        libcsv().set_realloc_func(&parser, wiping_realloc);
        libcsv().set_free_func(&parser, wiping_free);
    }
    /// Called as each line begins: a record starts on the first line that begins while the
    /// parser is between records.
    void mark_record_start(std::uint64_t line)
    {
        if (parser.pstate == 0 && fields.empty()) {
            record_line = line;
        }
    }
    void reset_parser()
    {
        libcsv().free(&parser);
        reinit();
    }
    void clear_fields()
    {
        wipe_all(fields);
        record_bytes = 0;
        too_long = false;
    }
};

std::unique_ptr<ImportReader::CsvState, ImportReader::CsvStateDelete> ImportReader::new_csv_state(char delimiter)
{
    return std::unique_ptr<CsvState, CsvStateDelete>(new CsvState(delimiter));
}

void ImportReader::CsvStateDelete::operator()(CsvState* state) const
{
    delete state;
}

namespace {

void on_csv_field(void* data, std::size_t size, void* state_ptr)
{
    auto& state = *static_cast<ImportReader::CsvState*>(state_ptr);
    state.record_bytes += size + 1;
    if (state.record_bytes > ImportReader::k_max_record_bytes) {
        state.too_long = true;
    }
    if (state.too_long) {
        state.fields.emplace_back();
        return;
    }
    state.fields.emplace_back(static_cast<const char*>(data), size);
}

void on_csv_record(int, void* state_ptr)
{
    auto& state = *static_cast<ImportReader::CsvState*>(state_ptr);
    state.finished.push_back({std::move(state.fields), state.too_long});
    state.fields.clear();
    state.record_bytes = 0;
    state.too_long = false;
}

}  // namespace

void ImportReader::parse_csv_chunk(const char* data, std::size_t size)
{
    CsvState& state = *m_csv;
    std::size_t pos = 0;
    while (pos < size) {
        // Fed a line at a time, so that each record knows the line it starts on.
        const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', size - pos));
        const std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - data) + 1 : size;
        state.mark_record_start(m_line_number);
        const std::size_t len = end - pos;
        const std::size_t parsed = libcsv().parse(&state.parser, data + pos, len, on_csv_field, on_csv_record, &state);
        take_csv_records();
        if (parsed != len) {
            csv_failed(libcsv().error(&state.parser) == CSV_ENOMEM || state.too_long);
        }
        if (nl != nullptr) {
            ++m_line_number;
        }
        pos = end;
    }
}

void ImportReader::csv_failed(bool too_long)
{
    CsvState& state = *m_csv;
    const std::uint64_t line = state.record_line;
    if (!m_header_read) {
        throw InvalidInput("line " + std::to_string(line) + ": the header row is not valid CSV");
    }
    ImportRecord bad;
    bad.line = line;
    bad.problem = too_long ? "the record is longer than 1 MiB"
                           : "malformed CSV (a quote inside an unquoted field, text after a closing quote, "
                             "or a quoted field never closed)";
    m_ready.push_back(std::move(bad));
    // Carry on at the next line with a fresh parser.
    state.clear_fields();
    state.reset_parser();
}

void ImportReader::finish_csv()
{
    CsvState& state = *m_csv;
    state.mark_record_start(m_line_number);
    const int rc = libcsv().fini(&state.parser, on_csv_field, on_csv_record, &state);
    take_csv_records();
    if (rc != 0) {
        csv_failed(false);
    }
    if (!m_header_read) {
        throw InvalidInput("the input is empty; a CSV import starts with a header row",
                           "e.g. email,first_name,last_name,password_hash");
    }
}

void ImportReader::take_csv_records()
{
    CsvState& state = *m_csv;
    for (auto& record : state.finished) {
        if (!m_header_read) {
            read_header(record.fields);
            wipe_all(record.fields);
            continue;
        }
        ImportRecord out;
        out.line = state.record_line;
        if (record.too_long) {
            out.problem = "the record is longer than 1 MiB";
        } else if (record.fields.size() != state.mapping.size()) {
            out.problem = "it has " + std::to_string(record.fields.size()) + " fields; the header has " +
                          std::to_string(state.mapping.size());
        } else {
            for (std::size_t i = 0; i < record.fields.size(); ++i) {
                if (!record.fields[i].empty()) {
                    out.fields[static_cast<std::size_t>(*state.mapping[i])] = std::move(record.fields[i]);
                }
            }
        }
        wipe_all(record.fields);
        m_ready.push_back(std::move(out));
    }
    state.finished.clear();
}

void ImportReader::read_header(const std::vector<std::string>& names)
{
    CsvState& state = *m_csv;
    // A row of identifiers is a header with a typo, and naming the cells helps; any other row
    // (an email, a password) is data, and then no cell of it is shown.
    const bool show_text = std::all_of(names.begin(), names.end(), looks_like_identifier);
    std::vector<std::string> unknown;
    std::vector<std::string> repeated;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto column = column_named(names[i]);
        if (!column) {
            unknown.push_back(describe_column(i + 1, names[i], show_text));
        } else if (std::find(m_columns.begin(), m_columns.end(), *column) != m_columns.end()) {
            repeated.push_back("column " + std::to_string(i + 1) + " '" + import_column_name(*column) + "'");
        } else {
            m_columns.push_back(*column);
        }
        state.mapping.push_back(column);
    }
    auto joined = [](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& item : items) {
            out += (out.empty() ? "" : ", ") + item;
        }
        return out;
    };
    std::string known = "known columns:";
    for (const char* name : k_import_column_names) {
        known += std::string(known.back() == ':' ? " " : ", ") + name;
    }
    if (!unknown.empty()) {
        const std::string line = "line " + std::to_string(state.record_line) + ": ";
        if (const auto other = delimiter_hint(names)) {
            throw InvalidInput(line + "the header is not separated by " + delimiter_name(m_options.delimiter) +
                                   "; split on " + delimiter_name(*other) + " it names known columns",
                               "pass --delimiter " + (*other == '\t' ? std::string("tab") : "'" + std::string(1, *other) + "'"));
        }
        if (!show_text) {
            throw InvalidInput(line + "the first row is not a header (" + std::to_string(unknown.size()) + " of its " +
                                   std::to_string(names.size()) + " cells are not column names; none is shown, since a " +
                                   "data row may hold a password)",
                               "start the file with a header row such as email,first_name,last_name,password; " + known);
        }
        throw InvalidInput(line + "unknown " + joined(unknown) + " in the header", known);
    }
    if (!repeated.empty()) {
        throw InvalidInput("line " + std::to_string(state.record_line) + ": " + joined(repeated) +
                               " repeat" + (repeated.size() > 1 ? "" : "s") + " an earlier column",
                           known);
    }
    auto has = [this](ImportColumn c) { return std::find(m_columns.begin(), m_columns.end(), c) != m_columns.end(); };
    if (!has(ImportColumn::email)) {
        throw InvalidInput("the header has no email column", known);
    }
    if (!m_options.password_optional && !has(ImportColumn::password) && !has(ImportColumn::password_hash)) {
        throw InvalidInput("the header has neither a password nor a password_hash column",
                           "add one, or pass --generate-passwords FILE to give every row a generated password; " + known);
    }
    m_header_read = true;
}

// A header of known names joined by another delimiter (a spreadsheet's ';' or a TAB export) is
// told apart from data: the delimiter it splits on into column names only, if any. Naming that
// delimiter shows nothing of the file.
std::optional<char> ImportReader::delimiter_hint(const std::vector<std::string>& names) const
{
    std::string joined;
    for (const auto& name : names) {
        joined += (joined.empty() ? "" : std::string(1, m_options.delimiter)) + name;
    }
    for (const char candidate : {',', ';', '\t', '|'}) {
        if (candidate == m_options.delimiter || joined.find(candidate) == std::string::npos) {
            continue;
        }
        bool all_known = true;
        std::size_t start = 0;
        for (;;) {
            const std::size_t end = joined.find(candidate, start);
            all_known = all_known && column_named(joined.substr(start, end - start)).has_value();
            if (end == std::string::npos) {
                break;
            }
            start = end + 1;
        }
        if (all_known) {
            return candidate;
        }
    }
    return std::nullopt;
}

}  // namespace usersctl
