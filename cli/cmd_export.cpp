// usersctl export: every account with every column (the password hash and login fields
// included), streamed as CSV or JSON Lines that `usersctl import` reads back.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/accounts.hpp"
#include "core/record_writer.hpp"

namespace usersctl::cli {

namespace {

struct ExportOptions {
    std::string format = "csv";
    ListFilterOptions filter;
};

ExitCode run_export(const Context& context, const ExportOptions& options)
{
    const RecordFormat format = parse_record_format(options.format);
    const ListFilter filter = list_filter(options.filter);
    if (options.filter.count) {
        return print_count(context, filter);
    }
    const std::vector<RecordColumn> columns = {{"id", true},          {"email", false},         {"first_name", false},
                                               {"last_name", false},  {"password_hash", false}, {"last_login_at", false},
                                               {"login_count", true}};
    const TableName table = context.table();
    Database db(context.database_options());
    // Byte for byte: export exists to be imported back (see usersctl-export(1) on terminals and
    // spreadsheets).
    RecordWriter writer(format, columns, OutputSafety::raw);
    std::vector<RecordWriter::Cell> values(columns.size());
    list_users(db, table, filter, [&](const AccountRow& row) {
        values[0] = row.id;
        values[1] = row.email;
        values[2] = row.first_name;
        values[3] = row.last_name;
        values[4] = row.password_hash;
        values[5] = row.last_login_at;
        values[6] = row.login_count;
        writer.add(values);
    });
    writer.finish();
    return ExitCode::ok;
}

}  // namespace

void register_export(CLI::App& app, Context& context)
{
    const char* const description = "Write every account, password hashes included, for import elsewhere";
    add_command(app, "export", description, [&context](CLI::App& command) {
        auto options = std::make_shared<ExportOptions>();
        auto* cmd = &command;
        cmd->add_option("--format", options->format, "Output format")
            ->check(CLI::IsMember({"csv", "jsonl"}))
            ->capture_default_str();
        add_list_filter_options(*cmd, options->filter);
        on_run(*cmd, context, options, run_export);
    });
}

}  // namespace usersctl::cli
