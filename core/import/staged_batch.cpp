#include "core/import/staged_batch.hpp"

#include "core/database.hpp"
#include "core/record_writer.hpp"

namespace usersctl {

const std::vector<std::string> k_staging_columns = {"line",          "problem",       "email",
                                                    "kind",          "first_name",    "last_name",
                                                    "password_hash", "last_login_at", "login_count", "id"};
const std::vector<std::string> k_done_columns = {"line", "email", "kind"};
const std::vector<std::string> k_target_columns = {"email",         "first_name",    "last_name",
                                                   "password_hash", "last_login_at", "login_count"};

namespace {

// One row of the staging table, kind NULL; `values` false leaves everything but line, problem
// and email NULL.
void append_staging(std::string& out, const CheckedRow& row, bool values)
{
    append_copy_field(out, std::to_string(row.line), true);
    append_copy_field(out, row.problem, false);
    append_copy_field(out, row.email, false);
    append_copy_field(out, Value(), false);
    for (const Value* v : {&row.first_name, &row.last_name, &row.password_hash, &row.last_login_at, &row.login_count,
                           &row.id}) {
        append_copy_field(out, values ? *v : Value(), false);
    }
    out.push_back('\n');
}

}  // namespace

void StagedBatch::add(const CheckedRow& row, bool direct)
{
    ++rows;
    if (row.problem) {
        ++bad_rows;
        append_staging(bad, row, false);
        return;
    }
    if (row.unreadable) {
        unreadable_lines.push_back(row.line);
    }
    hashed_rows += row.hashed ? 1 : 0;
    if (row.generated_password) {
        ++generated_rows;
        // Generated passwords are letters and digits; an email may need CSV quoting (a quote in
        // its local part).
        for (const char c : csv_field(*row.email) + ",") {
            generated.push_back(c);
        }
        for (const char c : row.generated_password->view()) {
            generated.push_back(c);
        }
        generated.push_back('\r');
        generated.push_back('\n');
    }
    append_staging(pending, row, true);
    if (!direct) {
        return;
    }
    // Only what the duplicate check needs: three columns, not ten, for the server to read.
    append_copy_field(done, std::to_string(row.line), true);
    append_copy_field(done, row.email, false);
    append_copy_field(done, Value("inserted"), false);
    done.push_back('\n');
    emails += *row.email;
    email_ends.push_back(static_cast<std::uint32_t>(emails.size()));
    // Absent names are '' in the users table (NULL in the staging table, where NULL tells
    // --on-conflict update to keep the stored name).
    append_copy_field(insert, row.email, true);
    append_copy_field(insert, row.first_name.value_or(""), false);
    append_copy_field(insert, row.last_name.value_or(""), false);
    append_copy_field(insert, row.password_hash, false);
    append_copy_field(insert, row.last_login_at, false);
    append_copy_field(insert, row.login_count, false);
    insert.push_back('\n');
}

}  // namespace usersctl
