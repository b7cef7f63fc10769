// usersctl list: accounts, streamed from the server, as a table, CSV, TSV, JSON or JSON Lines.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/accounts.hpp"
#include "core/record_writer.hpp"

namespace usersctl::cli {

namespace {

struct ListOptions {
    std::string format = "table";
    std::optional<std::string> email_glob;
    std::optional<std::uint64_t> limit;
    bool with_hash = false;
    bool raw = false;
};

ExitCode run_list(const Context& context, const ListOptions& options)
{
    const RecordFormat format = parse_record_format(options.format);
    std::vector<RecordColumn> columns = {{"id", true},          {"email", false},         {"first_name", false},
                                         {"last_name", false},  {"last_login_at", false}, {"login_count", true},
                                         {"scheme", false}};
    if (options.with_hash) {
        columns.push_back({"password_hash", false});
    }
    const TableName table = context.table();
    Database db(context.database_options());
    RecordWriter writer(format, columns, options.raw ? OutputSafety::raw : OutputSafety::safe);
    std::vector<std::optional<std::string>> values(columns.size());  // reused: a million rows may pass
    list_users(db, table, ListFilter{options.email_glob, options.limit}, [&](const AccountRow& row) {
        values[0] = row.id;
        values[1] = row.email;
        values[2] = row.first_name;
        values[3] = row.last_name;
        values[4] = row.last_login_at;
        values[5] = row.login_count;
        values[6] = inspect_hash(row.password_hash).label;
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
    auto options = std::make_shared<ListOptions>();
    auto* cmd = app.add_subcommand("list", "List accounts, ordered by id");
    cmd->add_option("--format", options->format, "Output format")
        ->check(CLI::IsMember({"table", "csv", "tsv", "json", "jsonl"}))
        ->capture_default_str();
    cmd->add_option("--email", options->email_glob, "Only emails matching a shell glob (* and ?), case-insensitive")
        ->type_name("GLOB");
    cmd->add_option("--limit", options->limit, "At most N accounts")
        ->type_name("N")
        ->check(CLI::Range(std::uint64_t{0}, static_cast<std::uint64_t>(INT64_MAX)));  // the server's bigint
    cmd->add_flag("--with-hash", options->with_hash, "Include the stored password hash");
    cmd->add_flag("--raw", options->raw,
                  "Values byte for byte, control characters and formula cells included (unsafe on a terminal or in a "
                  "spreadsheet)");
    on_run(*cmd, context, options, run_list);
}

}  // namespace usersctl::cli
