#pragma once

#include <string>

namespace usersctl {

/// A schema-qualified table name, parsed the way PostgreSQL reads identifiers.
struct TableName {
    std::string schema = "public";
    std::string name = "users";

    /// Parses `users`, `public.users`, `"My Schema"."Users"` (unquoted parts fold to lower
    /// case). Throws UsageError on anything else.
    static TableName parse(const std::string& text);
    /// `"schema"."name"`, safe to place in SQL text.
    std::string quoted() const;
    /// schema.name for messages.
    std::string display() const;
};

/// The name of the lower(email) unique index init-db creates for `table` (at most 63 bytes).
std::string email_lower_index_name(const TableName& table);

/// An identifier in double quotes with embedded quotes doubled.
std::string quote_identifier(const std::string& identifier);

}  // namespace usersctl
