#include "core/record_writer.hpp"

#include "core/errors.hpp"
#include "core/output.hpp"
#include "core/text.hpp"

namespace usersctl {

namespace {

constexpr std::size_t k_sizing_rows = 1000;

std::size_t display_width(const std::string& text)
{
    return count_code_points(text);
}

}  // namespace

RecordFormat parse_record_format(const std::string& name)
{
    if (name == "table") { return RecordFormat::table; }
    if (name == "csv") { return RecordFormat::csv; }
    if (name == "tsv") { return RecordFormat::tsv; }
    if (name == "json") { return RecordFormat::json; }
    if (name == "jsonl") { return RecordFormat::jsonl; }
    throw UsageError("unknown format '" + name + "'", "choose table, csv, tsv, json or jsonl");
}

namespace {

// A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection).
bool starts_like_formula(const std::string& text)
{
    if (text.empty()) {
        return false;
    }
    const char c = text.front();
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

std::string csv_field(const std::string& text)
{
    std::string out;
    append_csv_field(out, text);
    return out;
}

void append_csv_field(std::string& out, const std::string& text, bool quote)
{
    // A plain loop: find_first_of calls memchr once per character, which shows at a million rows.
    bool plain = !quote;
    for (const char c : text) {
        if (!plain) {
            break;
        }
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            plain = false;
        }
    }
    if (plain) {
        out += text;
        return;
    }
    out.push_back('"');
    std::size_t start = 0;
    for (auto quote_at = text.find('"'); quote_at != std::string::npos; quote_at = text.find('"', quote_at + 1)) {
        out.append(text, start, quote_at + 1 - start);
        out.push_back('"');
        start = quote_at + 1;
    }
    out.append(text, start, std::string::npos);
    out.push_back('"');
}

std::string safe_csv_field(const std::string& text)
{
    std::string out;
    if (starts_like_formula(text)) {
        append_csv_field(out, "'" + escape_for_terminal(text, ControlEscapes::keep_csv_breaks), true);
    } else {
        append_csv_field(out, escape_for_terminal(text, ControlEscapes::keep_csv_breaks));
    }
    return out;
}

std::string tsv_field(const std::string& text, bool safe)
{
    std::string out;
    // TSV has no quoting of its own, but a spreadsheet reading it may take a leading '"' as one
    // and run what follows: such a cell is neutralised too.
    if (safe && (starts_like_formula(text) || (!text.empty() && text.front() == '"'))) {
        out.push_back('\'');
    }
    if (safe) {
        // The terminal escapes are a superset of TSV's own (backslash, TAB, LF, CR), spelled alike.
        return out + escape_for_terminal(text);
    }
    for (const char c : text) {
        switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out.push_back(c);
        }
    }
    return out;
}

RecordWriter::RecordWriter(RecordFormat format, std::vector<RecordColumn> columns, OutputSafety safety)
    : m_format(format), m_safety(safety), m_columns(std::move(columns)), m_widths(m_columns.size(), 0)
{
}

std::string RecordWriter::delimited_header() const
{
    const bool csv = m_format == RecordFormat::csv;
    std::string line;
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        line += (c == 0 ? "" : (csv ? "," : "\t")) + m_columns[c].name;
    }
    return line + (csv ? "\r\n" : "\n");
}

void RecordWriter::write_table_rows(const std::vector<std::vector<std::string>>& rows)
{
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const bool last = c + 1 == row.size();
            const std::size_t width = display_width(row[c]);
            const std::size_t pad = m_widths[c] > width ? m_widths[c] - width : 0;
            if (m_columns[c].numeric) {
                line.append(pad, ' ');
                line += row[c];
            } else {
                line += row[c];
                if (!last) {
                    line.append(pad, ' ');
                }
            }
            if (!last) {
                line += "  ";
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out += line + "\n";
    }
    write_stdout(out);
}

void RecordWriter::add(const std::vector<std::optional<std::string>>& values)
{
    switch (m_format) {
    case RecordFormat::table: {
        std::vector<std::string> cells;
        for (const auto& v : values) {
            cells.push_back(m_safety == OutputSafety::safe ? escape_for_terminal(v.value_or("")) : v.value_or(""));
        }
        if (m_started) {
            write_table_rows({cells});
            return;
        }
        m_pending.push_back(std::move(cells));
        if (m_pending.size() >= k_sizing_rows) {
            finish();
        }
        return;
    }
    case RecordFormat::csv:
    case RecordFormat::tsv: {
        // One reused buffer per row: list and export stream millions of rows through here.
        std::string& line = m_line;
        line.clear();
        if (!m_started) {
            line = delimited_header();
        }
        m_started = true;
        for (std::size_t c = 0; c < values.size(); ++c) {
            if (c > 0) {
                line += m_format == RecordFormat::csv ? ',' : '\t';
            }
            if (!values[c]) {
                continue;
            }
            const bool safe = m_safety == OutputSafety::safe;
            if (m_format == RecordFormat::tsv) {
                line += tsv_field(*values[c], safe);
            } else if (safe) {
                line += safe_csv_field(*values[c]);
            } else {
                append_csv_field(line, *values[c]);
            }
        }
        line += m_format == RecordFormat::csv ? "\r\n" : "\n";
        write_stdout(line);
        return;
    }
    case RecordFormat::json:
    case RecordFormat::jsonl: {
        std::string line;
        if (m_format == RecordFormat::json) {
            line = m_started ? ",\n" : "[\n";
        }
        m_started = true;
        line += "{";
        for (std::size_t c = 0; c < values.size(); ++c) {
            line += (c == 0 ? "\"" : ",\"") + json_escape(m_columns[c].name) + "\":";
            if (!values[c]) {
                line += "null";
            } else if (m_columns[c].numeric) {
                line += *values[c];
            } else {
                line += json_string(*values[c]);
            }
        }
        line += "}";
        if (m_format == RecordFormat::jsonl) {
            line += "\n";
        }
        write_stdout(line);
        return;
    }
    }
}

void RecordWriter::finish()
{
    switch (m_format) {
    case RecordFormat::table:
        if (!m_started) {
            std::vector<std::string> header;
            for (std::size_t c = 0; c < m_columns.size(); ++c) {
                header.push_back(m_columns[c].name);
                m_widths[c] = display_width(m_columns[c].name);
            }
            for (const auto& row : m_pending) {
                for (std::size_t c = 0; c < row.size(); ++c) {
                    m_widths[c] = std::max(m_widths[c], display_width(row[c]));
                }
            }
            m_started = true;
            write_table_rows({header});
            write_table_rows(m_pending);
            m_pending.clear();
        }
        return;
    case RecordFormat::csv:
    case RecordFormat::tsv:
        if (!m_started) {
            write_stdout(delimited_header());
            m_started = true;
        }
        return;
    case RecordFormat::json:
        write_stdout(m_started ? "\n]\n" : "[]\n");
        m_started = true;
        return;
    case RecordFormat::jsonl:
        return;
    }
}

}  // namespace usersctl
