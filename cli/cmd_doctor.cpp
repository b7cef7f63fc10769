// usersctl doctor: report the health of the database, the table and the stored hashes.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/doctor.hpp"
#include "core/output.hpp"

namespace usersctl::cli {

namespace {

struct DoctorOptions {
    std::string format = "text";
    std::string fail_on = "warning";
    std::size_t max_listed = 10;
};

// "usersctl" with the settings a fix must repeat to act as this run did: the same table, and
// for fixes that write a hash the same verifier (another would write a scheme this one may not
// read).
std::string fix_command_prefix(const Context& context, bool writes_hash)
{
    std::string prefix = "usersctl";
    if (writes_hash && context.verifier() != Verifier::werkzeug) {
        prefix += std::string(" --verifier ") + verifier_name(context.verifier());
    }
    if (context.table().display() != TableName().display()) {
        prefix += " --table " + shell_quote(context.global.table);
    }
    return prefix;
}

ExitCode run_doctor_command(const Context& context, const DoctorOptions& options)
{
    const TableName table = context.table();
    Database db(context.database_options());
    DoctorSettings settings;
    settings.verifier = context.verifier();
    settings.max_listed = options.max_listed;
    settings.command = fix_command_prefix(context, false);
    settings.hash_command = fix_command_prefix(context, true);
    const DoctorReport report = run_doctor(db, table, settings);
    write_stdout(options.format == "json" ? format_report_json(report) : format_report_text(report));
    for (const auto& f : report.findings) {
        if (options.fail_on == "warning" || f.severity == Severity::error) {
            return ExitCode::mismatch;
        }
    }
    return ExitCode::ok;
}

}  // namespace

void register_doctor(CLI::App& app, Context& context)
{
    const char* const description = "Report the health of the database, the users table and the stored hashes";
    add_command(app, "doctor", description, [&context](CLI::App& command) {
        auto options = std::make_shared<DoctorOptions>();
        auto* cmd = &command;
        cmd->add_option("--format", options->format, "Report format")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
        cmd->add_option("--fail-on", options->fail_on, "Exit 1 on findings of this severity or worse")
            ->check(CLI::IsMember({"warning", "error"}))
            ->capture_default_str();
        cmd->add_option("--max-listed", options->max_listed, "Accounts listed per finding")
            ->check(CLI::Range(0, 100000))
            ->capture_default_str();
        on_run(*cmd, context, options, run_doctor_command);
    });
}

}  // namespace usersctl::cli
