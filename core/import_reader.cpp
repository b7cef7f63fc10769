#include "core/import_reader.hpp"

#include "core/errors.hpp"
#include "core/import_reader_detail.hpp"
#include "core/secret.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

namespace usersctl {

namespace {

constexpr std::size_t k_chunk_bytes = 64 * 1024;

}  // namespace

const std::array<const char*, k_import_column_count> k_import_column_names = {
    "id", "email", "first_name", "last_name", "password", "password_hash", "last_login_at", "login_count"};

namespace {

std::string trimmed(std::string name)
{
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) {
        name.pop_back();
    }
    name.erase(0, name.find_first_not_of(" \t"));
    return name;
}

}  // namespace

std::optional<ImportColumn> column_named(std::string name)
{
    name = trimmed(std::move(name));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    for (std::size_t i = 0; i < k_import_column_names.size(); ++i) {
        if (name == k_import_column_names[i]) {
            return static_cast<ImportColumn>(i);
        }
    }
    return std::nullopt;
}

// A sudo rule allowing `usersctl import` must not read out the first line of any file: a cell
// is named only when it looks like a column identifier.
bool looks_like_identifier(std::string name)
{
    name = trimmed(std::move(name));
    if (name.empty() || name.size() > 63 || std::isdigit(static_cast<unsigned char>(name[0])) != 0) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

ImportFormat parse_import_format(const std::string& name)
{
    if (name == "csv") { return ImportFormat::csv; }
    if (name == "jsonl") { return ImportFormat::jsonl; }
    throw UsageError("unknown import format '" + name + "'", "choose csv or jsonl");
}

char parse_csv_delimiter(const std::string& text)
{
    if (text == "tab" || text == "\t" || text == "\\t") {
        return '\t';
    }
    const bool punctuation = text.size() == 1 && std::ispunct(static_cast<unsigned char>(text[0])) != 0 && text[0] != '"';
    if (!punctuation) {
        throw UsageError("--delimiter takes one punctuation character (such as , ; or |) or 'tab'");
    }
    return text[0];
}

const char* import_column_name(ImportColumn column)
{
    return k_import_column_names[static_cast<std::size_t>(column)];
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

ImportReader::ImportReader(ImportFormat format, ImportSource source)
    : ImportReader(ImportReaderOptions{format, ',', false}, std::move(source))
{
}

ImportReader::ImportReader(const ImportReaderOptions& options, ImportSource source)
    : m_options(options), m_source(std::move(source)), m_buffer(k_chunk_bytes)
{
    if (m_options.format == ImportFormat::csv) {
        m_csv = new_csv_state(m_options.delimiter);
    }
}

ImportReader::~ImportReader()
{
    wipe(m_buffer.data(), m_buffer.size());
    wipe(m_line);
}

std::size_t ImportReader::read_start(std::size_t got)
{
    // Short reads (a pipe) are topped up until the first three bytes (a BOM) and, when the
    // format is to be detected, the first byte that is not blank can be seen.
    std::size_t offset = 0;
    for (;;) {
        offset = got >= 3 && std::memcmp(m_buffer.data(), "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        const std::size_t first = got <= offset ? std::string::npos
                                                : std::string_view(m_buffer.data() + offset, got - offset)
                                                      .find_first_not_of(" \t\r\n");
        const bool seen = got >= 3 && (m_options.format != ImportFormat::detect || first != std::string::npos);
        if (seen || got == m_buffer.size()) {
            break;
        }
        const std::size_t more = m_source(m_buffer.data() + got, m_buffer.size() - got);
        if (more == 0) {
            break;
        }
        got += more;
    }
    if (m_options.format == ImportFormat::detect) {
        const std::string_view start(m_buffer.data() + offset, got - offset);
        const std::size_t first = start.find_first_not_of(" \t\r\n");
        m_options.format = first != std::string_view::npos && start[first] == '{' ? ImportFormat::jsonl : ImportFormat::csv;
        if (m_options.format == ImportFormat::csv) {
            m_csv = new_csv_state(m_options.delimiter);
        }
    }
    return got;
}

bool ImportReader::fill()
{
    if (m_eof) {
        return false;
    }
    std::size_t got = m_source(m_buffer.data(), m_buffer.size());
    const char* data = m_buffer.data();
    if (!m_started) {
        m_started = true;
        got = read_start(got);
        // A UTF-8 byte-order mark (spreadsheets write one) is not part of the first column name.
        if (got >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            data += 3;
            got -= 3;
            m_bytes_read += 3;
        }
    }
    m_bytes_read += got;
    if (got == 0 && data == m_buffer.data()) {
        m_eof = true;
        if (m_options.format == ImportFormat::csv) {
            finish_csv();
        } else {
            finish_jsonl_line();
        }
        return true;
    }
    if (m_options.format == ImportFormat::csv) {
        parse_csv_chunk(data, got);
    } else {
        parse_jsonl_chunk(data, got);
    }
    wipe(m_buffer.data(), m_buffer.size());
    return true;
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
