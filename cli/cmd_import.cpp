// usersctl import: create (or update) accounts from a CSV or JSON Lines file, all or nothing.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/import/import.hpp"
#include "core/import/input_file.hpp"
#include "core/import/password_file.hpp"
#include "core/import/progress_line.hpp"
#include "core/interruption.hpp"
#include "core/output.hpp"

#include <cstring>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace usersctl::cli {

namespace {

struct ImportCliOptions {
    std::string file;
    std::optional<std::string> format;
    std::optional<std::string> delimiter;
    std::string on_conflict = "fail";
    bool dry_run = false;
    unsigned jobs = 0;
    HashOptions hash;
    bool json = false;
    bool require_readable = false;
    std::optional<std::string> generate_passwords;
    bool keep_ids = false;
};

// --format, else the file's extension, else (stdin, other names) the first byte tells: a CSV
// header never starts with '{'. A --delimiter means CSV.
ImportFormat format_for(const ImportCliOptions& options)
{
    if (options.format) {
        return parse_import_format(*options.format);
    }
    const auto ends_with = [&](const char* suffix) {
        const std::size_t n = std::strlen(suffix);
        return options.file.size() >= n && options.file.compare(options.file.size() - n, n, suffix) == 0;
    };
    if (ends_with(".jsonl") || ends_with(".ndjson")) {
        return ImportFormat::jsonl;
    }
    return ends_with(".csv") || options.delimiter ? ImportFormat::csv : ImportFormat::detect;
}

// The summary: one JSON object on stdout with --json, and a line on stderr.
void report_summary(const ImportOptions& import, const ImportSummary& summary, bool json)
{
    if (json) {
        nlohmann::ordered_json out;
        out["rows"] = summary.rows;
        out["created"] = summary.created;
        out["updated"] = summary.updated;
        out["skipped"] = summary.skipped;
        out["generated"] = summary.generated;
        out["unreadable"] = summary.unreadable;
        out["unreadable_lines"] = summary.unreadable_lines;
        out["dry_run"] = summary.dry_run;
        write_stdout(out.dump() + "\n");
    }
    std::string lines;
    for (const std::uint64_t line : summary.unreadable_lines) {
        lines += (lines.empty() ? "" : ",") + std::to_string(line);
    }
    if (summary.unreadable > 0) {
        // A migration that would lock people out must be visible, not only in --json.
        spdlog::warn("{} row{} give{} a password_hash the verifier '{}' cannot read, so {} cannot log in (line{} {}{}); "
                     "--require-readable refuses such rows",
                     summary.unreadable, summary.unreadable == 1 ? "" : "s", summary.unreadable == 1 ? "s" : "",
                     verifier_name(import.checks.verifier), summary.unreadable == 1 ? "that account" : "those accounts",
                     summary.unreadable == 1 ? "" : "s", lines,
                     summary.unreadable > summary.unreadable_lines.size() ? ", ..." : "");
    }
    const char* rows = summary.rows == 1 ? "row" : "rows";
    if (summary.dry_run) {
        spdlog::info("dry run: {} {} would create {}, update {}, skip {}; nothing was written", summary.rows, rows,
                     summary.created, summary.updated, summary.skipped);
    } else {
        spdlog::info("imported {} {}: created {}, updated {}, skipped {}", summary.rows, rows, summary.created,
                     summary.updated, summary.skipped);
    }
}

ExitCode run_import(const Context& context, const ImportCliOptions& options)
{
    ImportOptions import;
    import.input.format = format_for(options);
    if (options.delimiter) {
        if (import.input.format == ImportFormat::jsonl) {
            throw UsageError("--delimiter applies to CSV, not JSON Lines");
        }
        import.input.delimiter = parse_csv_delimiter(*options.delimiter);
    }
    import.on_conflict = parse_on_conflict(options.on_conflict);
    import.dry_run = options.dry_run;
    import.jobs = options.jobs;
    import.checks.settings = hash_settings(context, options.hash);
    import.checks.policy = policy_options(context, options.hash);
    import.checks.verifier = context.verifier();
    import.checks.require_readable = options.require_readable;
    import.checks.keep_ids = options.keep_ids;
    import.checks.generate_passwords = options.generate_passwords.has_value();
    import.input.password_optional = import.checks.generate_passwords;
    if (options.generate_passwords && (options.generate_passwords->empty() || *options.generate_passwords == "-")) {
        // Never stdout: the secrets would share it with --json, and a pipe's reader may not keep them.
        throw UsageError("--generate-passwords takes the path of a new file");
    }
    if (options.generate_passwords && import.on_conflict != OnConflict::fail) {
        // Under skip or update a row may not create an account, and its password would be a lie.
        throw UsageError("--generate-passwords works with --on-conflict fail only");
    }
    const TableName table = context.table();
    InputFile input(options.file);
    // Created (exclusively, 0600) before anything is read; removed again unless the import
    // reaches its commit. A dry run writes no file.
    std::optional<PasswordFile> passwords;
    if (options.generate_passwords && options.dry_run) {
        PasswordFile::check_absent(*options.generate_passwords);
    } else if (options.generate_passwords) {
        passwords.emplace(*options.generate_passwords);
        import.generated_passwords = &*passwords;
    }
    Database db(context.database_options());
    // From here on the first Ctrl-C rolls the import back (130); while connecting it ends the
    // process at once, as for every other command.
    const Interruption interruption;

    ImportSummary summary;
    {
        ProgressLine progress(isatty(STDERR_FILENO) != 0 && !context.global.quiet, input.size());
        try {
            summary = import_accounts(
                db, table, [&](char* buffer, std::size_t size) { return input.read(buffer, size, &interruption); },
                import, [&progress](std::uint64_t rows, std::uint64_t bytes) { progress.update(rows, bytes); },
                &interruption);
        } catch (const Error&) {
            if (passwords && passwords->kept()) {
                spdlog::warn("{} is kept: the import failed at its commit, which may still have happened; if the "
                             "accounts exist, these are their passwords, else delete it",
                             passwords->path());
            }
            throw;
        }
    }
    if (passwords) {
        spdlog::info("wrote {} generated password{} to {}", summary.generated, summary.generated == 1 ? "" : "s",
                     passwords->path());
    }
    report_summary(import, summary, options.json);
    return ExitCode::ok;
}

}  // namespace

void register_import(CLI::App& app, Context& context)
{
    const char* const description = "Create accounts from a CSV or JSON Lines file, all or nothing";
    add_command(app, "import", description, [&context](CLI::App& command) {
        auto options = std::make_shared<ImportCliOptions>();
        auto* cmd = &command;
        cmd->add_option("file", options->file, "The file to read, or - for stdin")->required()->type_name("FILE|-");
        cmd->add_option("--format", options->format,
                        "Input format (default: jsonl for *.jsonl and *.ndjson, csv for *.csv, else jsonl when "
                        "the first non-blank byte is '{', else csv)")
            ->check(CLI::IsMember({"csv", "jsonl"}));
        cmd->add_option("--delimiter", options->delimiter, "CSV field delimiter: , (default), ; | or tab")
            ->type_name("C");
        cmd->add_option("--on-conflict", options->on_conflict,
                        "An email that already has an account: fail (exit 73, nothing written), skip it, or update "
                        "its names and password")
            ->check(CLI::IsMember({"fail", "skip", "update"}))
            ->capture_default_str();
        cmd->add_flag("--dry-run", options->dry_run, "Check every row and report what would happen; write nothing");
        cmd->add_option("--jobs", options->jobs, "Hashing threads (default: one per core)")
            ->check(CLI::Range(1, 256))
            ->type_name("N");
        cmd->add_flag("--json", options->json, "Print the summary as one JSON object on stdout");
        cmd->add_option("--generate-passwords", options->generate_passwords,
                        "Rows without password and password_hash get a generated one, written with the email as "
                        "CSV to FILE (created 0600, never overwritten) before the commit")
            ->type_name("FILE");
        cmd->add_flag("--keep-ids", options->keep_ids,
                      "Keep the id column (an id already taken: exit 73) and move the id sequence past the largest");
        cmd->add_flag("--require-readable", options->require_readable,
                      "A password_hash the --verifier cannot read is a bad row (exit 65), not a warning");
        add_hash_options(*cmd, options->hash, true);
        on_run(*cmd, context, options, run_import);
    });
}

}  // namespace usersctl::cli
