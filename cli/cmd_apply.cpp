// usersctl apply: make the users table hold the accounts a YAML or JSON file declares, in one
// transaction; print the plan.

#include "cli/options.hpp"
#include "core/apply/apply.hpp"
#include "core/apply/load.hpp"
#include "core/apply/plan_format.hpp"
#include "core/errors.hpp"
#include "core/interruption.hpp"
#include "core/output.hpp"

#include <spdlog/spdlog.h>

namespace usersctl::cli {

namespace {

struct ApplyCliOptions {
    std::string file;
    std::optional<std::string> format;
    bool check = false;
    std::optional<std::string> prune;
    std::uint64_t max_delete = 10;
    unsigned jobs = 0;
    bool json = false;
    HashOptions hash;
};

ExitCode run_apply(const Context& context, const ApplyCliOptions& options)
{
    DeclarationChecks checks;
    checks.settings = hash_settings(context, options.hash);
    checks.policy = policy_options(context, options.hash);
    checks.verifier = context.verifier();
    const TableName table = context.table();
    std::vector<DeclaredAccount> accounts = load_declaration(
        options.file, options.format ? std::optional<DocFormat>(parse_doc_format(*options.format)) : std::nullopt,
        checks);
    ApplyOptions apply;
    apply.check = options.check;
    apply.prune_glob = options.prune;
    apply.max_delete = options.max_delete;
    apply.jobs = options.jobs;
    apply.settings = checks.settings;
    Database db(context.database_options());
    // From here on the first Ctrl-C rolls the apply back (130).
    const Interruption interruption;
    const ApplyPlan plan = apply_accounts(db, table, accounts, apply, &interruption);
    write_stdout(options.json ? plan_json(plan) : plan_text(plan));
    if (options.check && plan.changes()) {
        return ExitCode::changes_pending;
    }
    return ExitCode::ok;
}

}  // namespace

void register_apply(CLI::App& app, Context& context)
{
    const char* const description =
        "Make the database hold the accounts a YAML or JSON file declares, in one transaction; print the plan";
    add_command(app, "apply", description, [&context](CLI::App& command) {
        auto options = std::make_shared<ApplyCliOptions>();
        auto* cmd = &command;
        cmd->add_option("file", options->file, "The declaration file, or - for stdin")->required()->type_name("FILE|-");
        cmd->add_option("--format", options->format,
                        "File format (default: by extension .yaml, .yml or .json, else JSON when it starts with {)")
            ->check(CLI::IsMember({"yaml", "json"}));
        cmd->add_flag("--check", options->check,
                      "Print the plan and write nothing; exit 2 when changes are pending, 0 when none");
        cmd->add_option("--prune", options->prune,
                        "Delete the accounts whose email matches GLOB (* and ?, case-insensitive, as list matches) "
                        "that the file does not declare")
            ->type_name("GLOB");
        cmd->add_option("--max-delete", options->max_delete,
                        "Refuse the whole apply (65) when --prune would delete more accounts than this")
            ->check(CLI::Range(static_cast<std::uint64_t>(0), static_cast<std::uint64_t>(1) << 40))
            ->capture_default_str()
            ->type_name("N");
        cmd->add_option("--jobs", options->jobs, "Hashing threads (default: one per core)")
            ->check(CLI::Range(1, 256))
            ->type_name("N");
        cmd->add_flag("--json", options->json, "Print the plan as one JSON object on stdout");
        add_hash_options(*cmd, options->hash, true);
        on_run(*cmd, context, options, run_apply);
    });
}

}  // namespace usersctl::cli
