// usersctl import: create (or update) accounts from a CSV or JSON Lines file, all or nothing.

#include "cli/options.hpp"
#include "core/errors.hpp"
#include "core/import/import.hpp"
#include "core/output.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace usersctl::cli {

namespace {

struct ImportCliOptions {
    std::string file;
    std::optional<std::string> format;
    std::string on_conflict = "fail";
    bool dry_run = false;
    unsigned jobs = 0;
    HashOptions hash;
    bool json = false;
    bool require_readable = false;
};

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int)
{
    g_interrupted.store(true);
}

// The first Ctrl-C asks the import to stop and roll back (exit 130); SA_RESETHAND makes a second
// one kill the process outright (the server rolls back just the same). No SA_RESTART, so a read
// waiting on a terminal or pipe returns at once.
class InterruptFlag {
public:
    InterruptFlag()
    {
        struct sigaction action {};
        action.sa_handler = on_sigint;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;
        sigaction(SIGINT, &action, &m_old);
    }
    ~InterruptFlag() { sigaction(SIGINT, &m_old, nullptr); }
    InterruptFlag(const InterruptFlag&) = delete;
    InterruptFlag& operator=(const InterruptFlag&) = delete;

private:
    struct sigaction m_old {};
};

class InputFile {
public:
    explicit InputFile(const std::string& path) : m_path(path)
    {
        if (path == "-") {
            m_fd = STDIN_FILENO;
        } else {
            m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (m_fd < 0) {
                throw NoInput("cannot open '" + path + "': " + std::strerror(errno));
            }
            m_owned = true;
        }
        struct stat st {};
        if (::fstat(m_fd, &st) == 0 && S_ISREG(st.st_mode)) {
            m_size = static_cast<std::uint64_t>(st.st_size);
        }
    }
    ~InputFile()
    {
        if (m_owned) {
            ::close(m_fd);
        }
    }
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;

    std::size_t read(char* buffer, std::size_t size)
    {
        while (true) {
            const ssize_t n = ::read(m_fd, buffer, size);
            if (n >= 0) {
                return static_cast<std::size_t>(n);
            }
            if (errno == EINTR) {
                if (g_interrupted.load()) {
                    return 0;  // the importing thread sees the flag and rolls back
                }
                continue;
            }
            throw NoInput("cannot read '" + m_path + "': " + std::strerror(errno));
        }
    }
    /// The size of a regular file, 0 for a pipe or terminal.
    std::uint64_t size() const { return m_size; }

private:
    std::string m_path;
    int m_fd = -1;
    bool m_owned = false;
    std::uint64_t m_size = 0;
};

std::string format_duration(double seconds)
{
    const auto s = static_cast<long long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) {
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s / 60) % 60);
    } else if (s >= 60) {
        std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%llds", s);
    }
    return buf;
}

// A progress line on a terminal: rows done, rate and (for a regular file) time left.
class ProgressLine {
public:
    ProgressLine(bool enabled, std::uint64_t total_bytes)
        : m_enabled(enabled), m_total(total_bytes), m_start(std::chrono::steady_clock::now()), m_last(m_start)
    {
    }
    ~ProgressLine()
    {
        if (m_shown) {
            std::fputs("\r\033[K", stderr);
        }
    }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    void update(std::uint64_t rows, std::uint64_t bytes)
    {
        if (!m_enabled) {
            return;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now - m_last < std::chrono::milliseconds(250)) {
            return;
        }
        m_last = now;
        const double elapsed = std::chrono::duration<double>(now - m_start).count();
        std::string line = "\r\033[Kimport: " + std::to_string(rows) + " rows";
        if (elapsed > 0.5) {
            line += ", " + std::to_string(static_cast<long long>(static_cast<double>(rows) / elapsed)) + " rows/s";
            if (m_total > 0 && bytes > 0 && bytes <= m_total) {
                const double left = elapsed * static_cast<double>(m_total - bytes) / static_cast<double>(bytes);
                line += ", about " + format_duration(left) + " left";
            }
        }
        std::fputs(line.c_str(), stderr);
        std::fflush(stderr);
        m_shown = true;
    }

private:
    bool m_enabled;
    std::uint64_t m_total;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last;
    bool m_shown = false;
};

ImportFormat format_for(const ImportCliOptions& options)
{
    if (options.format) {
        return parse_import_format(*options.format);
    }
    const auto ends_with = [&](const char* suffix) {
        const std::size_t n = std::strlen(suffix);
        return options.file.size() >= n && options.file.compare(options.file.size() - n, n, suffix) == 0;
    };
    return ends_with(".jsonl") || ends_with(".ndjson") ? ImportFormat::jsonl : ImportFormat::csv;
}

ExitCode run_import(const Context& context, const ImportCliOptions& options)
{
    ImportOptions import;
    import.format = format_for(options);
    import.on_conflict = parse_on_conflict(options.on_conflict);
    import.dry_run = options.dry_run;
    import.jobs = options.jobs;
    import.checks.settings = hash_settings(context, options.hash);
    import.checks.policy = policy_options(options.hash);
    import.checks.verifier = context.verifier();
    import.checks.require_readable = options.require_readable;
    const TableName table = context.table();
    InputFile input(options.file);
    Database db(context.database_options());

    const InterruptFlag interrupt_flag;
    g_interrupted.store(false);
    ImportSummary summary;
    {
        ProgressLine progress(isatty(STDERR_FILENO) != 0 && !context.global.quiet, input.size());
        summary = import_accounts(
            db, table, [&input](char* buffer, std::size_t size) { return input.read(buffer, size); }, import,
            [&progress](std::uint64_t rows, std::uint64_t bytes) { progress.update(rows, bytes); }, &g_interrupted);
    }
    std::string lines;
    for (const std::uint64_t line : summary.unreadable_lines) {
        lines += (lines.empty() ? "" : ",") + std::to_string(line);
    }
    if (options.json) {
        write_stdout("{\"rows\":" + std::to_string(summary.rows) + ",\"created\":" + std::to_string(summary.created) +
                     ",\"updated\":" + std::to_string(summary.updated) + ",\"skipped\":" +
                     std::to_string(summary.skipped) + ",\"unreadable\":" + std::to_string(summary.unreadable) +
                     ",\"unreadable_lines\":[" + lines + "],\"dry_run\":" + (summary.dry_run ? "true" : "false") +
                     "}\n");
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
    if (summary.dry_run) {
        spdlog::info("dry run: {} rows would create {}, update {}, skip {}; nothing was written", summary.rows,
                     summary.created, summary.updated, summary.skipped);
    } else {
        spdlog::info("imported {} rows: created {}, updated {}, skipped {}", summary.rows, summary.created,
                     summary.updated, summary.skipped);
    }
    return ExitCode::ok;
}

}  // namespace

void register_import(CLI::App& app, Context& context)
{
    auto options = std::make_shared<ImportCliOptions>();
    auto* cmd = app.add_subcommand("import", "Create accounts from a CSV or JSON Lines file, all or nothing");
    cmd->add_option("file", options->file, "The file to read, or - for stdin")->required()->type_name("FILE|-");
    cmd->add_option("--format", options->format, "Input format (default: jsonl for *.jsonl and *.ndjson, else csv)")
        ->check(CLI::IsMember({"csv", "jsonl"}));
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
    cmd->add_flag("--require-readable", options->require_readable,
                  "A password_hash the --verifier cannot read is a bad row (exit 65), not a warning");
    add_hash_options(*cmd, options->hash, true);
    on_run(*cmd, context, options, run_import);
}

}  // namespace usersctl::cli
