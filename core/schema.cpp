#include "core/schema.hpp"

#include "core/errors.hpp"
#include "core/sql_text.hpp"
#include "sql_statements.hpp"

#include <map>
#include <spdlog/spdlog.h>

namespace usersctl {

namespace {

constexpr int k_listed_duplicates = 20;

struct ExpectedColumn {
    const char* name;
    std::vector<std::string> types;
    bool must_be_not_null;
    bool needs_default;
};

// What usersctl and the web app rely on. Extra columns are fine.
const std::vector<ExpectedColumn>& expected_columns()
{
    static const std::vector<ExpectedColumn> columns = {
        {"id", {"integer", "bigint"}, true, true},
        {"email", {"text", "character varying"}, true, false},
        {"first_name", {"text", "character varying"}, true, false},
        {"last_name", {"text", "character varying"}, true, false},
        {"password_hash", {"text", "character varying"}, true, false},
        {"last_login_at", {"timestamp without time zone"}, false, false},
        {"login_count", {"integer", "bigint"}, false, false},
    };
    return columns;
}

// A password hash of any supported scheme fits in 255 bytes; shorter varchar columns truncate.
constexpr int k_min_hash_column_length = 255;

struct TableState {
    bool schema_exists = false;
    std::optional<std::string> oid;
    std::optional<std::string> relkind;
};

TableState find_table(Transaction& tx, const TableName& table)
{
    const auto r = tx.exec(sql::k_find_table, {table.schema, table.name});
    const auto& row = r.rows.at(0);
    return {row[0] == std::optional<std::string>("t"), row[1], row[2]};
}

struct Inspection {
    std::vector<std::string> problems;
    bool has_lower_index = false;
};

Inspection inspect(Transaction& tx, const std::string& oid)
{
    Inspection out;
    struct Column {
        std::string type;
        bool not_null;
        bool has_default;
        std::optional<int> max_length;
    };
    std::map<std::string, Column> columns;
    for (const auto& row : tx.exec(sql::k_table_columns, {oid}).rows) {
        columns[*row[0]] = {*row[1], *row[2] == "true", *row[3] == "true",
                            row[4] ? std::optional<int>(std::stoi(*row[4])) : std::nullopt};
    }
    for (const auto& want : expected_columns()) {
        const auto it = columns.find(want.name);
        if (it == columns.end()) {
            out.problems.push_back(std::string("column ") + want.name + " is missing");
            continue;
        }
        const Column& have = it->second;
        if (std::find(want.types.begin(), want.types.end(), have.type) == want.types.end()) {
            out.problems.push_back(std::string("column ") + want.name + " has type " + have.type + ", expected " +
                                   want.types.front());
        }
        if (want.must_be_not_null && !have.not_null) {
            out.problems.push_back(std::string("column ") + want.name + " allows NULL, expected NOT NULL");
        }
        if (!want.must_be_not_null && have.not_null && !have.has_default) {
            out.problems.push_back(std::string("column ") + want.name +
                                   " is NOT NULL without a default, but new accounts leave it NULL");
        }
        if (want.needs_default && !have.has_default) {
            out.problems.push_back(std::string("column ") + want.name +
                                   " has no default (SERIAL or identity), so new rows get no id");
        }
        if (have.max_length && *have.max_length < k_min_hash_column_length &&
            std::string(want.name) == "password_hash") {
            out.problems.push_back("column password_hash is limited to " + std::to_string(*have.max_length) +
                                   " characters; hashes need up to " + std::to_string(k_min_hash_column_length));
        }
    }
    bool email_unique = false;
    for (const auto& row : tx.exec(sql::k_table_unique_indexes, {oid}).rows) {
        if (row[1] && *row[1] == "email" && !row[2]) {
            email_unique = true;
        }
        if (row[2] && *row[2] == "lower(email)") {
            out.has_lower_index = true;
        }
    }
    if (columns.count("email") != 0 && !email_unique) {
        out.problems.emplace_back("column email has no UNIQUE constraint");
    }
    return out;
}

std::vector<std::string> case_duplicates(Transaction& tx, const TableName& table)
{
    std::vector<std::string> out;
    const auto sql = sql_for_table(sql::k_case_duplicate_emails, table);
    for (const auto& row : tx.exec(sql, {std::to_string(k_listed_duplicates + 1)}).rows) {
        out.push_back(*row[1]);
    }
    return out;
}

[[noreturn]] void throw_incompatible(const TableName& table, const std::vector<std::string>& problems)
{
    std::string message = "table " + table.display() + " is not compatible with the web app's model: ";
    for (std::size_t i = 0; i < problems.size(); ++i) {
        message += (i == 0 ? "" : "; ") + problems[i];
    }
    throw ConfigError(message, "alter the table to match (see 'man usersctl-init-db'), then re-run init-db");
}

[[noreturn]] void throw_case_duplicates(const TableName& table, const std::vector<std::string>& groups)
{
    std::string message = "table " + table.display() +
                          " holds emails that differ only by case, so the lower(email) unique index cannot be built: ";
    const std::size_t shown = std::min<std::size_t>(groups.size(), k_listed_duplicates);
    for (std::size_t i = 0; i < shown; ++i) {
        message += (i == 0 ? "[" : "; [") + groups[i] + "]";
    }
    if (groups.size() > shown) {
        message += "; and more";
    }
    throw ConfigError(message, "merge or rename those accounts (usersctl update-user / delete-user), then re-run init-db");
}

}  // namespace

namespace {

// One pass over the table: with apply false it only reads (no lock, nothing written) and says what
// would be done; with apply true it takes init-db's advisory lock first and does it.
InitDbResult examine_or_create(Database& db, const TableName& table, bool apply)
{
    const bool dry_run = !apply;
    InitDbResult result;
    const std::string create_table = sql_for_table(sql::k_create_table, table);
    const std::string create_index =
        sql_for_table(sql::k_create_email_lower_index, table, {{"index", quote_identifier(email_lower_index_name(table))}});
    db.transaction([&](Transaction& tx) {
        result = InitDbResult{};
        if (!dry_run) {
            tx.exec(sql::k_init_db_lock, {table.quoted()});
        }
        const TableState state = find_table(tx, table);
        if (!state.schema_exists) {
            throw ConfigError("schema " + quote_identifier(table.schema) + " does not exist",
                              "create it (CREATE SCHEMA) or choose another --table");
        }
        if (!state.oid && state.relkind) {
            throw ConfigError(table.display() + " exists but is not a table (relkind " + *state.relkind + ")",
                              "choose another --table");
        }
        if (!state.oid) {
            result.statements = {create_table, create_index};
            if (!dry_run) {
                tx.exec(create_table);
                tx.exec(create_index);
            }
            result.created_table = true;
            result.created_index = true;
            return;
        }
        const Inspection found = inspect(tx, *state.oid);
        if (!found.problems.empty()) {
            throw_incompatible(table, found.problems);
        }
        if (!found.has_lower_index) {
            const auto groups = case_duplicates(tx, table);
            if (!groups.empty()) {
                throw_case_duplicates(table, groups);
            }
            result.statements = {create_index};
            if (!dry_run) {
                tx.exec(create_index);
            }
            result.created_index = true;
        }
    });
    return result;
}

}  // namespace

InitDbResult init_db(Database& db, const TableName& table, bool dry_run)
{
    // A re-run on a database that is already set up (the usual case in CI and deployment jobs)
    // reads, finds nothing to do and never queues on the lock behind other runs.
    InitDbResult planned = examine_or_create(db, table, false);
    if (dry_run || planned.statements.empty()) {
        return planned;
    }
    return examine_or_create(db, table, true);
}

bool check_table(Transaction& tx, const TableName& table)
{
    const TableState state = find_table(tx, table);
    if (!state.oid) {
        throw ConfigError("table " + table.display() + " does not exist", "run 'usersctl init-db' first");
    }
    const Inspection found = inspect(tx, *state.oid);
    if (!found.problems.empty()) {
        throw_incompatible(table, found.problems);
    }
    return found.has_lower_index;
}

}  // namespace usersctl
