#pragma once
// apply's plan as printed on stdout: one line per account and a summary, or one JSON object.
// Emails are escaped for the terminal (text) or as JSON strings that cannot drive one.

#include "core/apply/apply.hpp"

#include <string>

namespace usersctl {

/// "+ create EMAIL", "~ update EMAIL (first_name, password)", "- delete EMAIL" lines, then
/// "N to create, N to update, N to delete, N unchanged" (past tense once written).
std::string plan_text(const ApplyPlan& plan);

/// {"create":[...],"update":[{"email":...,"fields":[...]}],"delete":[...],"unchanged":N,
/// "written":bool} on one line.
std::string plan_json(const ApplyPlan& plan);

}  // namespace usersctl
