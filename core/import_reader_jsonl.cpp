// ImportReader's JSON Lines half: one object per line (nlohmann::json), keys spelled exactly as
// the column names; parsed strings wiped before the object is freed.

#include "core/import_reader.hpp"
#include "core/import_reader_detail.hpp"
#include "core/secret.hpp"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

namespace usersctl {

namespace {

// Moves the object's fields into `out`, noting new columns; the problem with the first field
// that cannot be taken (why, never what), or "".
std::string take_fields(nlohmann::json& object, ImportRecord& out, std::vector<ImportColumn>& columns)
{
    for (auto& [key, value] : object.items()) {
        const auto column = column_named(key);
        if (!column || key != import_column_name(*column)) {
            return looks_like_identifier(key) ? "unknown field '" + key + "'" : std::string("unknown field");
        }
        if (std::find(columns.begin(), columns.end(), *column) == columns.end()) {
            columns.push_back(*column);
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
            return std::string("field ") + import_column_name(*column) +
                   (numeric ? " must be an integer, a string or null" : " must be a string or null");
        }
    }
    return "";
}

}  // namespace

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
        out.problem = take_fields(object, out, m_columns);
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

}  // namespace usersctl
