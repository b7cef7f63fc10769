#include "core/import/import.hpp"

#include "core/errors.hpp"
#include "core/import/chunk_writer.hpp"
#include "core/import/staged_batch.hpp"
#include "core/interruption.hpp"
#include "core/ordered_pipeline.hpp"
#include "core/schema.hpp"
#include "core/sql_text.hpp"
#include "core/text.hpp"
#include "sql_statements.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>
#include <thread>

namespace usersctl {

namespace {

// A batch of records goes to one hashing thread: up to this many rows, fewer when they carry
// passwords (a bcrypt hash takes tens of milliseconds) or are large.
constexpr std::size_t k_batch_rows = 256;
constexpr std::size_t k_batch_password_rows = 8;
constexpr std::size_t k_batch_bytes = 1 << 20;
// Batches read but not yet sent: enough that reading and hashing go on while a chunk is sent
// by COPY, few enough (and at most this many bytes) that memory stays flat.
constexpr OrderedPipeline<std::vector<ImportRecord>, StagedBatch>::Limits k_window{64, 4 << 20};

using Pipeline = OrderedPipeline<std::vector<ImportRecord>, StagedBatch>;

// What a record costs in memory, roughly: the record itself, a heap block per field, the bytes.
std::size_t record_bytes(const ImportRecord& record)
{
    std::size_t n = sizeof(ImportRecord) + 32 * k_import_column_count;
    for (const auto& field : record.fields) {
        n += field ? field->size() : 0;
    }
    return n;
}

std::uint64_t count_of(const Value& v)
{
    return v ? std::stoull(*v) : 0;
}

void check_interrupted(const Interruption* interruption)
{
    if (interruption != nullptr && interruption->requested()) {
        throw Interrupted("interrupted; the import was rolled back, nothing was written");
    }
}

// Streams every bad row (reading problems and in-file duplicates) to the log, in line order;
// returns how many rows are bad.
std::uint64_t report_bad_rows(Transaction& tx)
{
    std::uint64_t bad = 0;
    std::string last_line;
    tx.stream(sql::k_import_bad_rows, {}, 1000, [&](const Row& row) {
        if (*row[0] != last_line) {
            ++bad;  // a row with two problems counts once
            last_line = *row[0];
        }
        spdlog::error("line {}: {}", *row[0], escape_for_terminal(*row[1]));
    });
    return bad;
}

// Lists the rows whose email already has an account, then fails the import.
[[noreturn]] void report_conflicts(Transaction& tx, const TableName& table, std::uint64_t existing)
{
    tx.stream(sql_for_table(sql::k_import_conflicts, table), {}, 1000, [](const Row& row) {
        spdlog::error("line {}: an account for {} already exists", *row[0], escape_for_terminal(*row[1]));
    });
    throw AlreadyExists(std::to_string(existing) + " of the emails already ha" + (existing == 1 ? "s" : "ve") +
                            " an account; nothing was imported",
                        "use --on-conflict skip to leave them alone, or --on-conflict update to replace "
                        "their names and passwords");
}

// Reads, checks, hashes and sends every row: the reader thread batches records, the hashing
// threads check and encode them, this thread hands them in file order to the chunk writer.
void send_rows(ImportSource& source, const ImportOptions& options, unsigned jobs, const ImportProgress& progress,
               const Interruption* interruption, ChunkWriter& writer, ImportSummary& summary)
{
    ImportReader reader(options.input, source);
    // Asked by the importing thread after the first rows came through the pipeline: the format
    // and a CSV file's columns are settled by then. A CSV file without a password column, and no
    // passwords to generate, is the one input whose later rows can never need hashing (a JSON
    // Lines record may bring a password at any line).
    writer.set_may_hash_later([&reader, &options] {
        const auto& columns = reader.columns();
        return options.checks.generate_passwords || reader.format() != ImportFormat::csv ||
               std::find(columns.begin(), columns.end(), ImportColumn::password) != columns.end();
    });
    struct ForgetReader {
        ChunkWriter& writer;
        ~ForgetReader() { writer.set_may_hash_later(nullptr); }
    } forget_reader{writer};
    std::atomic<std::uint64_t> bytes_read{0};
    auto produce = [&reader, &bytes_read](std::vector<ImportRecord>& batch, std::size_t& bytes) {
        std::size_t passwords = 0;
        ImportRecord record;
        while (reader.next(record)) {
            bytes_read.store(reader.bytes_read());
            bytes += record_bytes(record);
            passwords += record[ImportColumn::password] ? 1 : 0;
            batch.push_back(std::move(record));
            if (batch.size() >= k_batch_rows || passwords >= k_batch_password_rows || bytes >= k_batch_bytes) {
                return true;
            }
        }
        bytes_read.store(reader.bytes_read());
        return !batch.empty();
    };
    const std::atomic<bool>& direct = writer.direct();
    const std::atomic<bool>* cancel = interruption != nullptr ? &interruption->flag() : nullptr;
    auto check = [&options, &direct, cancel](std::vector<ImportRecord>& batch) {
        StagedBatch staged;
        for (auto& record : batch) {
            if (cancel != nullptr && cancel->load()) {
                break;  // never taken: the pipeline is cancelled
            }
            staged.add(check_record(record, options.checks), direct.load());
            record.reset();  // wipes the password
        }
        return staged;
    };
    // The reader and the hashing threads never take a signal: the reader waits for its input and
    // for Ctrl-C together (InputFile), the importing thread polls the flag, so a Ctrl-C is seen
    // within a hash or so whichever thread it lands on.
    Pipeline pipeline(produce, check, jobs, k_window, {block_interruption_in_this_thread, block_interruption_in_this_thread, cancel});
    StagedBatch batch;
    while (pipeline.next(batch)) {
        // Taken out (and wiped at the end of this turn) before the batch joins the chunk: the
        // chunk keeps its batches, and each Secret holds a locked page.
        const Secret generated = std::move(batch.generated);
        if (!generated.empty()) {
            // In file order, as the rows are; never beside the rows in the chunk.
            if (options.generated_passwords != nullptr) {
                options.generated_passwords->write(generated.view());
            }
            summary.generated += batch.generated_rows;
        }
        summary.rows += batch.rows;
        summary.unreadable += batch.unreadable_lines.size();
        for (const std::uint64_t line : batch.unreadable_lines) {
            if (summary.unreadable_lines.size() < k_max_unreadable_lines) {
                summary.unreadable_lines.push_back(line);
            }
        }
        writer.add(std::move(batch));
        if (progress) {
            progress(summary.rows, bytes_read.load());
        }
    }
    check_interrupted(interruption);
    writer.flush();
    if (progress) {
        progress(summary.rows, bytes_read.load());
    }
}

// --on-conflict update: an email that several accounts match case-insensitively (and none
// exactly) is a bad row, listed with the ids; updating would be a guess.
void refuse_ambiguous_updates(Transaction& tx, const TableName& table)
{
    const QueryResult ambiguous = tx.exec(sql_for_table(sql::k_import_ambiguous, table));
    for (const auto& row : ambiguous.rows) {
        spdlog::error("line {}: several accounts match this email case-insensitively and none stores it exactly "
                      "(ids {}); update one with update-user or set-password --id",
                      ambiguous.get(row, "line").value_or(""), ambiguous.get(row, "ids").value_or(""));
    }
    if (!ambiguous.rows.empty()) {
        throw InvalidInput(std::to_string(ambiguous.rows.size()) + " row" + (ambiguous.rows.size() == 1 ? "" : "s") +
                               " would update one of several accounts; nothing was imported",
                           "choose the account with usersctl update-user / set-password --id N, or import without "
                           "--on-conflict update");
    }
}

// --keep-ids: lists the rows whose id cannot be kept, then fails the import.
void refuse_taken_ids(Transaction& tx, const TableName& table, OnConflict on_conflict)
{
    const QueryResult taken = tx.exec(sql_for_table(sql::k_import_id_conflicts, table),
                                      {on_conflict == OnConflict::update ? "true" : "false"});
    for (const auto& row : taken.rows) {
        const std::string line = taken.get(row, "line").value_or("");
        const std::string id = taken.get(row, "id").value_or("");
        const std::string account = taken.get(row, "account_id").value_or("");
        if (account == id) {
            spdlog::error("line {}: id {} belongs to another account ({})", line, id,
                          escape_for_terminal(taken.get(row, "account_email").value_or("")));
        } else {
            spdlog::error("line {}: the account for this email has id {}, not {}", line, account, id);
        }
    }
    if (!taken.rows.empty()) {
        throw AlreadyExists(std::to_string(taken.rows.size()) + " row" + (taken.rows.size() == 1 ? "" : "s") +
                                " cannot keep " + (taken.rows.size() == 1 ? "its id" : "their ids") +
                                "; nothing was imported",
                            "import into a table without those ids, or without --keep-ids");
    }
}

// --keep-ids: the id sequence moves past the ids written, so the app's next insert gets a free one.
void advance_id_sequence(Transaction& tx, const TableName& table)
{
    const QueryResult moved = tx.exec(sql_for_table(sql::k_import_advance_sequence, table), {table.quoted()});
    if (moved.rows.empty()) {
        spdlog::warn("the id column of {} has no sequence; nothing to move past the imported ids", table.display());
        return;
    }
    const std::string last = moved.get(moved.rows[0], "last_value").value_or("0");
    const std::string max = moved.get(moved.rows[0], "max_value").value_or("0");
    spdlog::info("the id sequence of {} now continues after {}", table.display(), last);
    // One stray large id in a file would leave the app's registrations nowhere to go.
    if (std::stoull(max) - std::stoull(last) < std::stoull(max) / 100) {
        spdlog::warn("the id sequence of {} is at {} of its {}: few ids are left for new accounts", table.display(),
                     last, max);
    }
}

// A dry run: counts what the pending rows would do, and fails as the real run would.
void count_dry_run(Transaction& tx, const TableName& table, const ImportOptions& options, ImportSummary& summary)
{
    if (options.on_conflict == OnConflict::update) {
        refuse_ambiguous_updates(tx, table);
    }
    if (options.checks.keep_ids) {
        refuse_taken_ids(tx, table, options.on_conflict);
    }
    const QueryResult counts = tx.exec(sql_for_table(sql::k_import_counts, table));
    const std::uint64_t fresh = count_of(counts.rows.at(0).at(0));
    const std::uint64_t existing = count_of(counts.rows.at(0).at(1));
    if (existing > 0 && options.on_conflict == OnConflict::fail) {
        report_conflicts(tx, table, existing);
    }
    summary.created = fresh;
    (options.on_conflict == OnConflict::update ? summary.updated : summary.skipped) = existing;
}

// Writes the staged rows that did not go straight into the users table.
void write_pending(Transaction& tx, const TableName& table, const ImportOptions& options, std::uint64_t pending,
                   ImportSummary& summary)
{
    const OnConflict on_conflict = options.on_conflict;
    // Concurrent writers wait (up to --lock-timeout) while the pending rows go in, so the
    // conflict check below still holds when they are written. Readers are not blocked.
    tx.exec(sql_for_table(sql::k_import_lock, table));
    // summary.created counts the rows already copied straight in, which the table's statistics
    // may not (see the SQL file). Read under the lock, which no VACUUM or ANALYZE shares: the
    // statistics stay as read until the commit.
    if (summary.created > 0 &&
        !tx.exec(sql::k_import_pending_plan, {table.quoted(), std::to_string(summary.created)}).rows.empty()) {
        spdlog::debug("import: the table's statistics count fewer rows than this import copied in; the pending rows "
                      "are written by hash or merge joins");
    }
    if (options.checks.keep_ids) {
        refuse_taken_ids(tx, table, on_conflict);
    }
    // The pending rows whose email has no account go in by one INSERT ... SELECT (after the
    // UPDATE of the others under --on-conflict update); emails are unique in the staging table,
    // so every pending row not inserted is one that had an account.
    if (on_conflict == OnConflict::update) {
        refuse_ambiguous_updates(tx, table);
        summary.updated = tx.exec(sql_for_table(sql::k_import_update, table)).affected;
    }
    if (on_conflict == OnConflict::fail) {
        tx.exec(sql::k_import_savepoint);
    }
    const std::uint64_t created =
        tx.exec(sql_for_table(options.checks.keep_ids ? sql::k_import_insert_keep_ids : sql::k_import_insert, table))
            .affected;
    const std::uint64_t existing = pending - created;
    if (on_conflict == OnConflict::fail && existing > 0) {
        tx.exec(sql::k_import_rollback_to_savepoint);
        report_conflicts(tx, table, existing);
    }
    if (on_conflict == OnConflict::skip) {
        summary.skipped = existing;
    }
    summary.created += created;
    if (options.checks.keep_ids && created > 0) {
        advance_id_sequence(tx, table);
    }
}

}  // namespace

OnConflict parse_on_conflict(const std::string& name)
{
    if (name == "fail") { return OnConflict::fail; }
    if (name == "skip") { return OnConflict::skip; }
    if (name == "update") { return OnConflict::update; }
    throw UsageError("unknown conflict mode '" + name + "'", "choose fail, skip or update");
}

ImportSummary import_accounts(Database& db, const TableName& table, ImportSource source, const ImportOptions& options,
                              const ImportProgress& progress, const Interruption* interruption)
{
    validate_settings(options.checks.settings);
    const unsigned jobs = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
    ImportSummary summary;
    db.transaction([&](Transaction& tx) {
        summary = ImportSummary{};
        summary.dry_run = options.dry_run;
        // A missing or incompatible table: 78 before reading any of the file.
        const bool has_lower_index = check_table(tx, table);
        tx.exec(sql::k_import_create_staging);
        // Kept ids go through the staging table, where taken ones are found before any is written.
        ChunkWriter writer(tx, table, has_lower_index && !options.dry_run && !options.checks.keep_ids);
        send_rows(source, options, jobs, progress, interruption, writer, summary);
        writer.finish();
        check_interrupted(interruption);
        // When every row went straight into the users table and none failed a check, the
        // table's unique index on lower(email) has already refused any email repeated in the
        // file (the chunk would have taken the staged path): nothing left to report.
        const bool all_direct = writer.inserted() == summary.rows;
        if (!all_direct) {
            writer.send_done();
        }
        if (const std::uint64_t bad = all_direct ? 0 : report_bad_rows(tx); bad > 0) {
            throw InvalidInput(std::to_string(bad) + " bad row" + (bad == 1 ? "" : "s") + " of " +
                                   std::to_string(summary.rows) + "; nothing was imported",
                               "fix the rows listed above and run the import again");
        }
        if (options.dry_run) {
            count_dry_run(tx, table, options, summary);
            return;
        }
        // Rows copied straight into the users table are in; the pending rest (from the first
        // chunk that met an existing email on) is written now.
        summary.created = writer.inserted();
        if (const std::uint64_t pending = summary.rows - writer.inserted(); pending > 0) {
            write_pending(tx, table, options, pending, summary);
        }
        check_interrupted(interruption);
        if (options.generated_passwords != nullptr) {
            options.generated_passwords->commit_ready();
        }
    });
    return summary;
}

}  // namespace usersctl
