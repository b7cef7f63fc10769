// usersctl list: accounts, streamed from the server, as a table, CSV, TSV, JSON or JSON Lines.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/accounts.hpp"
#include "core/record_writer.hpp"

namespace usersctl::cli {

namespace {

struct ListOptions {
    std::string format = "table";
    ListFilterOptions filter;
    bool with_hash = false;
    bool raw = false;
};

ExitCode run_list(const Context& context, const ListOptions& options)
{
    const RecordFormat format = parse_record_format(options.format);
    const ListFilter filter = list_filter(options.filter);
    const TableName table = context.table();
    if (options.filter.count) {
        return print_count(context, filter);
    }
    std::vector<RecordColumn> columns = {{"id", true},          {"email", false},         {"first_name", false},
                                         {"last_name", false},  {"last_login_at", false}, {"login_count", true},
                                         {"scheme", false}};
    if (options.with_hash) {
        columns.push_back({"password_hash", false});
    }
    Database db(context.database_options());
    RecordWriter writer(format, columns, options.raw ? OutputSafety::raw : OutputSafety::safe);
    std::vector<RecordWriter::Cell> values(columns.size());  // reused: a million rows may pass
    std::string scheme;  // values[6] views it
    list_users(db, table, filter, [&](const AccountRow& row) {
        values[0] = row.id;
        values[1] = row.email;
        values[2] = row.first_name;
        values[3] = row.last_name;
        values[4] = row.last_login_at;
        values[5] = row.login_count;
        scheme = inspect_hash(row.password_hash).label;
        values[6] = scheme;
        if (options.with_hash) {
            values[7] = row.password_hash;
        }
        writer.add(values);
    });
    writer.finish();
    return ExitCode::ok;
}

}  // namespace

void register_list(CLI::App& app, Context& context)
{
    const char* const description = "List accounts (by id, or --sort), filtered by email and last login";
    add_command(app, "list", description, [&context](CLI::App& command) {
        auto options = std::make_shared<ListOptions>();
        auto* cmd = &command;
        cmd->add_option("--format", options->format, "Output format")
            ->check(CLI::IsMember({"table", "csv", "tsv", "json", "jsonl"}))
            ->capture_default_str();
        add_list_filter_options(*cmd, options->filter);
        cmd->add_flag("--with-hash", options->with_hash, "Include the stored password hash");
        cmd->add_flag("--raw", options->raw,
                      "Values byte for byte, control characters and formula cells included (unsafe on a terminal or in a "
                      "spreadsheet)");
        on_run(*cmd, context, options, run_list);
    });
}

}  // namespace usersctl::cli
