#include "core/record_writer.hpp"

#include "core/errors.hpp"
#include "core/output.hpp"
#include "core/text.hpp"

#include <array>

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
bool starts_like_formula(std::string_view text)
{
    if (text.empty()) {
        return false;
    }
    const char c = text.front();
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// What each byte asks of a CSV cell: nothing, quoting (comma, quote, CR, LF), or, in a safe
// cell, escaping (any other control, DEL, and every byte from 0x80, which escape_for_terminal
// checks as UTF-8). One table look-up per byte: list and export write a million rows.
enum ByteClass : unsigned char { k_plain = 0, k_quote = 1, k_unsafe = 2 };

constexpr std::array<unsigned char, 256> k_byte_class = [] {
    std::array<unsigned char, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const bool control = c < 0x20 || c >= 0x7f;
        table[static_cast<std::size_t>(c)] = control ? k_unsafe : k_plain;
    }
    for (const char c : {',', '"', '\r', '\n'}) {
        table[static_cast<unsigned char>(c)] |= k_quote;
    }
    return table;
}();

// The classes of every byte of `text`, or-ed together.
unsigned char classify(std::string_view text)
{
    unsigned char seen = k_plain;
    for (const char c : text) {
        seen |= k_byte_class[static_cast<unsigned char>(c)];
    }
    return seen;
}

// `text` quoted as RFC 4180 asks: inner quotes doubled.
void append_quoted(std::string& out, std::string_view text)
{
    out.push_back('"');
    std::size_t start = 0;
    for (auto quote_at = text.find('"'); quote_at != std::string_view::npos; quote_at = text.find('"', quote_at + 1)) {
        out.append(text, start, quote_at + 1 - start);
        out.push_back('"');
        start = quote_at + 1;
    }
    out.append(text, start, std::string_view::npos);
    out.push_back('"');
}

}  // namespace

std::string csv_field(std::string_view text)
{
    std::string out;
    append_csv_field(out, text);
    return out;
}

void append_csv_field(std::string& out, std::string_view text, bool quote)
{
    if (quote || (classify(text) & k_quote) != 0) {
        append_quoted(out, text);
    } else {
        out += text;
    }
}

void append_safe_csv_field(std::string& out, std::string_view text)
{
    const bool formula = starts_like_formula(text);
    const unsigned char seen = classify(text);
    if (!formula && (seen & k_unsafe) == 0) {
        if ((seen & k_quote) != 0) {
            append_quoted(out, text);
        } else {
            out += text;
        }
        return;
    }
    const std::string visible = escape_for_terminal(std::string(text), ControlEscapes::keep_csv_breaks);
    if (formula) {
        append_quoted(out, "'" + visible);
    } else {
        append_csv_field(out, visible);
    }
}

std::string safe_csv_field(std::string_view text)
{
    std::string out;
    append_safe_csv_field(out, text);
    return out;
}

std::string tsv_field(std::string_view text, bool safe)
{
    std::string out;
    // TSV has no quoting of its own, but a spreadsheet reading it may take a leading '"' as one
    // and run what follows: such a cell is neutralised too.
    if (safe && (starts_like_formula(text) || (!text.empty() && text.front() == '"'))) {
        out.push_back('\'');
    }
    if (safe) {
        // The terminal escapes are a superset of TSV's own (backslash, TAB, LF, CR), spelled alike.
        return out + escape_for_terminal(std::string(text));
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

void RecordWriter::add(const std::vector<Cell>& values)
{
    switch (m_format) {
    case RecordFormat::table: {
        std::vector<std::string> cells;
        for (const auto& v : values) {
            const std::string text(v.value_or(std::string_view()));
            cells.push_back(m_safety == OutputSafety::safe ? escape_for_terminal(text) : text);
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
                append_safe_csv_field(line, *values[c]);
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
                line += json_string(std::string(*values[c]));
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
