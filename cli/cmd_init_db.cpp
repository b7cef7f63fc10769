// usersctl init-db: create the users table, or check an existing one.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/output.hpp"
#include "core/schema.hpp"

#include <spdlog/spdlog.h>

namespace usersctl::cli {

namespace {

struct InitDbOptions {
    bool dry_run = false;
    double wait = 0;
};

ExitCode run_init_db(const Context& context, const InitDbOptions& options)
{
    DatabaseOptions db_options = context.database_options();
    db_options.wait_seconds = options.wait;
    const TableName table = context.table();
    Database db(db_options);
    const InitDbResult result = init_db(db, table, options.dry_run);
    if (options.dry_run) {
        for (const auto& statement : result.statements) {
            std::string text = statement;
            while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
                text.pop_back();
            }
            write_stdout(text + ";\n");
        }
        if (result.statements.empty()) {
            spdlog::info("table {} exists and is compatible; nothing to do", table.display());
        }
        return ExitCode::ok;
    }
    if (result.created_table) {
        spdlog::info("created table {}", table.display());
    } else if (result.created_index) {
        spdlog::info("table {} is compatible; created its unique index on lower(email)", table.display());
    } else {
        spdlog::info("table {} exists and is compatible; unchanged", table.display());
    }
    return ExitCode::ok;
}

}  // namespace

void register_init_db(CLI::App& app, Context& context)
{
    const char* const description = "Create the users table as the web app's model does, or check an existing one";
    add_command(app, "init-db", description, [&context](CLI::App& command) {
        auto options = std::make_shared<InitDbOptions>();
        auto* cmd = &command;
        cmd->add_flag("--dry-run", options->dry_run, "Print the SQL that would run; change nothing");
        cmd->add_option("--wait", options->wait, "Retry the connection for up to SECONDS while the server is not up")
            ->check(finite_range(0.0, 86400.0))
            ->type_name("SECONDS");
        on_run(*cmd, context, options, run_init_db);
    });
}

}  // namespace usersctl::cli
