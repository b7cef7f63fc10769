#include "core/import_reader.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"

#include <algorithm>
#include <cctype>
#include <csv.h>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

namespace usersctl {

namespace {

constexpr std::size_t k_chunk_bytes = 64 * 1024;

constexpr std::array<const char*, k_import_column_count> k_column_names = {
    "id", "email", "first_name", "last_name", "password", "password_hash", "last_login_at", "login_count"};

std::optional<ImportColumn> column_named(std::string name)
{
    // Header names are matched ignoring case and surrounding spaces ("Email " is email).
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
        name.pop_back();
    }
    name.erase(0, name.find_first_not_of(" \t"));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    for (std::size_t i = 0; i < k_column_names.size(); ++i) {
        if (name == k_column_names[i]) {
            return static_cast<ImportColumn>(i);
        }
    }
    return std::nullopt;
}

// Messages never quote the file's content: a first line that is data, not a header, holds an
// email and a password, and a sudo rule allowing `usersctl import` must not read out the first
// line of any file. A cell is named only when it looks like a column identifier.
bool looks_like_identifier(std::string name)
{
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
        name.pop_back();
    }
    name.erase(0, name.find_first_not_of(" \t"));
    if (name.empty() || name.size() > 63 || std::isdigit(static_cast<unsigned char>(name[0])) != 0) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
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

int no_spaces(unsigned char) { return 0; }  // RFC 4180: spaces belong to the field

}  // namespace

ImportFormat parse_import_format(const std::string& name)
{
    if (name == "csv") { return ImportFormat::csv; }
    if (name == "jsonl") { return ImportFormat::jsonl; }
    throw UsageError("unknown import format '" + name + "'", "choose csv or jsonl");
}

const char* import_column_name(ImportColumn column)
{
    return k_column_names[static_cast<std::size_t>(column)];
}

ImportRecord& ImportRecord::operator=(ImportRecord&& other) noexcept
{
    if (this != &other) {
        reset();
        line = other.line;
        fields = std::move(other.fields);
        problem = std::move(other.problem);
    }
    return *this;
}

ImportRecord::~ImportRecord()
{
    reset();
}

void ImportRecord::reset()
{
    auto& password = (*this)[ImportColumn::password];
    if (password) {
        wipe(*password);
    }
    for (auto& field : fields) {
        field.reset();
    }
    problem.clear();
    line = 0;
}

namespace {

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

    CsvState() { reinit(); }
    ~CsvState()
    {
        csv_free(&parser);
        clear_fields();
        for (auto& f : finished) {
            wipe_all(f.fields);
        }
    }
    void reinit()
    {
        csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI);
        csv_set_space_func(&parser, no_spaces);
        csv_set_realloc_func(&parser, wiping_realloc);
        csv_set_free_func(&parser, wiping_free);
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
        csv_free(&parser);
        reinit();
    }
    void clear_fields()
    {
        wipe_all(fields);
        record_bytes = 0;
        too_long = false;
    }
};

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

ImportReader::ImportReader(ImportFormat format, ImportSource source)
    : m_format(format), m_source(std::move(source)), m_buffer(k_chunk_bytes)
{
    if (m_format == ImportFormat::csv) {
        m_csv = std::make_unique<CsvState>();
    }
}

ImportReader::~ImportReader()
{
    wipe(m_buffer.data(), m_buffer.size());
    wipe(m_line);
}

bool ImportReader::fill()
{
    if (m_eof) {
        return false;
    }
    std::size_t got = m_source(m_buffer.data(), m_buffer.size());
    const char* data = m_buffer.data();
    if (!m_started && got > 0) {
        m_started = true;
        // A UTF-8 byte-order mark (spreadsheets write one) is not part of the first column name.
        // Short reads (a pipe) are topped up so the first three bytes can be seen together.
        while (got < 3) {
            const std::size_t more = m_source(m_buffer.data() + got, m_buffer.size() - got);
            if (more == 0) {
                break;
            }
            got += more;
        }
        if (got >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            data += 3;
            got -= 3;
            m_bytes_read += 3;
        }
    }
    m_bytes_read += got;
    if (got == 0 && data == m_buffer.data()) {
        m_eof = true;
        if (m_format == ImportFormat::csv) {
            finish_csv();
        } else {
            finish_jsonl_line();
        }
        return true;
    }
    if (m_format == ImportFormat::csv) {
        parse_csv_chunk(data, got);
    } else {
        parse_jsonl_chunk(data, got);
    }
    wipe(m_buffer.data(), m_buffer.size());
    return true;
}

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
        const std::size_t parsed = csv_parse(&state.parser, data + pos, len, on_csv_field, on_csv_record, &state);
        take_csv_records();
        if (parsed != len) {
            csv_failed(csv_error(&state.parser) == CSV_ENOMEM || state.too_long);
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
    const int rc = csv_fini(&state.parser, on_csv_field, on_csv_record, &state);
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
    for (const char* name : k_column_names) {
        known += std::string(known.back() == ':' ? " " : ", ") + name;
    }
    if (!unknown.empty()) {
        const std::string line = "line " + std::to_string(state.record_line) + ": ";
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
    if (!has(ImportColumn::password) && !has(ImportColumn::password_hash)) {
        throw InvalidInput("the header has neither a password nor a password_hash column", known);
    }
    m_header_read = true;
}

void ImportReader::parse_jsonl_chunk(const char* data, std::size_t size)
{
    std::size_t pos = 0;
    while (pos < size) {
        const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', size - pos));
        const std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - data) : size;
        if (!m_line_too_long) {
            if (m_line.size() + (end - pos) > k_max_record_bytes) {
                m_line_too_long = true;
                wipe(m_line);
            } else {
                m_line.append(data + pos, end - pos);
            }
        }
        if (nl == nullptr) {
            break;
        }
        finish_jsonl_line();
        ++m_line_number;
        pos = end + 1;
    }
}

void ImportReader::finish_jsonl_line()
{
    ImportRecord out;
    out.line = m_line_number;
    if (m_line_too_long) {
        m_line_too_long = false;
        out.problem = "the record is longer than 1 MiB";
        m_ready.push_back(std::move(out));
        return;
    }
    if (!m_line.empty() && m_line.back() == '\r') {
        m_line.pop_back();
    }
    if (m_line.find_first_not_of(" \t") == std::string::npos) {
        wipe(m_line);
        return;  // blank lines are allowed
    }
    nlohmann::json object = nlohmann::json::parse(m_line, nullptr, false);
    wipe(m_line);
    if (object.is_discarded()) {
        out.problem = "not valid JSON";
    } else if (!object.is_object()) {
        out.problem = "not a JSON object";
    } else {
        for (auto& [key, value] : object.items()) {
            const auto column = column_named(key);
            if (!column || key != import_column_name(*column)) {
                out.problem = "unknown field";
                if (looks_like_identifier(key)) {
                    out.problem += " '" + key + "'";
                }
                break;
            }
            if (std::find(m_columns.begin(), m_columns.end(), *column) == m_columns.end()) {
                m_columns.push_back(*column);
            }
            auto& field = out[*column];
            const bool numeric = *column == ImportColumn::id || *column == ImportColumn::login_count;
            if (value.is_string()) {
                if (!value.get_ref<const std::string&>().empty()) {
                    field = value.get<std::string>();
                }
            } else if (numeric && value.is_number_integer()) {
                field = value.dump();
            } else if (!value.is_null()) {
                out.problem = std::string("field ") + import_column_name(*column) +
                              (numeric ? " must be an integer, a string or null" : " must be a string or null");
                break;
            }
        }
        // Wipe the parsed strings (the password among them) before the object is freed.
        for (auto& [key, value] : object.items()) {
            if (value.is_string()) {
                wipe(value.get_ref<std::string&>());
            }
        }
    }
    if (!out.problem.empty()) {
        std::string problem = std::move(out.problem);
        out.reset();  // a bad record carries no content
        out.line = m_line_number;
        out.problem = std::move(problem);
    }
    m_ready.push_back(std::move(out));
}

bool ImportReader::next(ImportRecord& record)
{
    while (m_ready.empty()) {
        if (!fill()) {
            return false;
        }
    }
    record = std::move(m_ready.front());
    m_ready.pop_front();
    return true;
}

}  // namespace usersctl
