// The doctor report as text for people and as JSON for machines.

#include "core/doctor.hpp"
#include "core/text.hpp"

namespace usersctl {

namespace {

std::string with_commas(std::uint64_t n)
{
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) {
        digits.insert(static_cast<std::size_t>(i), ",");
    }
    return digits;
}

const char* severity_name(Severity s)
{
    return s == Severity::error ? "error" : "warning";
}

std::string pad(std::string text, std::size_t width)
{
    if (text.size() < width) {
        text.append(width - text.size(), ' ');
    }
    return text;
}

}  // namespace

std::string format_report_text(const DoctorReport& r)
{
    std::string out = "usersctl doctor: " + r.table + "\n\nConnection\n";
    out += "  server      PostgreSQL " + r.server_version +
           (r.standby ? ", standby (read-only)" : r.read_only ? ", read-only connection" : ", read-write") + "\n";
    out += "  role        " + r.role;
    if (!r.privileges.empty()) {
        std::string granted;
        for (const char* p : {"SELECT", "INSERT", "UPDATE", "DELETE"}) {
            const auto it = r.privileges.find(p);
            if (it != r.privileges.end() && it->second) {
                granted += (granted.empty() ? "" : ", ") + std::string(p);
            }
        }
        out += " (may " + (granted.empty() ? std::string("nothing") : granted) + " on the table)";
    }
    out += "\n\nTable\n  " + r.table + ": " +
           (!r.table_exists ? std::string("missing")
                            : std::string(r.table_compatible ? "compatible" : "incompatible") +
                                  ", unique index on lower(email): " + (r.lower_email_index ? "yes" : "no")) +
           "\n";
    if (r.table_compatible) {
        out += "\nAccounts: " + with_commas(r.accounts) + "\n";
        out += "  never logged in    " + with_commas(r.never_logged_in) + "\n";
        out += "  oldest last login  " + r.oldest_last_login.value_or("-") + "\n";
        out += "\nHashes\n";
        std::size_t width = 10;
        for (const auto& [label, count] : r.hashes_by_label) {
            width = std::max(width, label.size() + 2);
        }
        for (const auto& [label, count] : r.hashes_by_label) {
            out += "  " + pad(escape_for_terminal(label), width) + with_commas(count) + "\n";
        }
        if (r.hashes_by_label.empty()) {
            out += "  (no accounts)\n";
        }
    }
    std::size_t errors = 0;
    std::size_t warnings = 0;
    if (!r.findings.empty()) {
        out += "\nFindings\n";
    }
    for (const auto& f : r.findings) {
        (f.severity == Severity::error ? errors : warnings)++;
        out += std::string("  ") + severity_name(f.severity) + ": " + f.message + "\n";
        out += "    fix: " + f.fix + "\n";
        for (const auto& a : f.accounts) {
            out += "    id " + std::to_string(a.id) + "  " + escape_for_terminal(a.email) + "\n";
        }
        if (f.count > f.accounts.size()) {
            out += "    and " + with_commas(f.count - f.accounts.size()) + " more\n";
        }
    }
    out += "\n";
    if (r.findings.empty()) {
        out += "Nothing needs attention.\n";
    } else {
        out += std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") + std::to_string(warnings) +
               (warnings == 1 ? " warning.\n" : " warnings.\n");
    }
    return out;
}

std::string format_report_json(const DoctorReport& r)
{
    auto b = [](bool v) { return v ? "true" : "false"; };
    std::string out = "{\"table\":" + json_string(r.table);
    out += ",\"server\":{\"version\":" + json_string(r.server_version) + ",\"role\":" + json_string(r.role) +
           ",\"standby\":" + b(r.standby) + ",\"read_only\":" + b(r.read_only) + ",\"privileges\":{";
    bool first = true;
    for (const auto& [name, granted] : r.privileges) {
        out += std::string(first ? "" : ",") + json_string(name) + ":" + b(granted);
        first = false;
    }
    out += "}},\"table_exists\":" + std::string(b(r.table_exists)) + ",\"table_compatible\":" + b(r.table_compatible) +
           ",\"lower_email_index\":" + b(r.lower_email_index) + ",\"accounts\":" + std::to_string(r.accounts) +
           ",\"never_logged_in\":" + std::to_string(r.never_logged_in) + ",\"oldest_last_login\":" +
           (r.oldest_last_login ? json_string(*r.oldest_last_login) : "null") + ",\"hashes\":{";
    first = true;
    for (const auto& [label, count] : r.hashes_by_label) {
        out += std::string(first ? "" : ",") + json_string(label) + ":" + std::to_string(count);
        first = false;
    }
    out += "},\"findings\":[";
    first = true;
    for (const auto& f : r.findings) {
        out += std::string(first ? "" : ",") + "{\"severity\":\"" + severity_name(f.severity) +
               "\",\"check\":" + json_string(f.check) + ",\"message\":" + json_string(f.message) +
               ",\"fix\":" + json_string(f.fix) + ",\"count\":" + std::to_string(f.count) + ",\"accounts\":[";
        bool first_account = true;
        for (const auto& a : f.accounts) {
            out += std::string(first_account ? "" : ",") + "{\"id\":" + std::to_string(a.id) +
                   ",\"email\":" + json_string(a.email) + "}";
            first_account = false;
        }
        out += "]}";
        first = false;
    }
    return out + "]}\n";
}

}  // namespace usersctl
