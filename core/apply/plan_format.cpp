#include "core/apply/plan_format.hpp"

#include "core/text.hpp"

namespace usersctl {

namespace {

std::vector<const char*> fields_of(const PlannedUpdate& update)
{
    std::vector<const char*> fields;
    if (update.first_name) {
        fields.push_back("first_name");
    }
    if (update.last_name) {
        fields.push_back("last_name");
    }
    if (update.password) {
        fields.push_back("password");
    }
    return fields;
}

std::string json_list(const std::vector<std::string>& emails)
{
    std::string out = "[";
    for (std::size_t i = 0; i < emails.size(); ++i) {
        out += (i == 0 ? "" : ",") + json_string(emails[i]);
    }
    return out + "]";
}

}  // namespace

std::string plan_text(const ApplyPlan& plan)
{
    std::string out;
    for (const auto& email : plan.create) {
        out += "+ create " + escape_for_terminal(email) + "\n";
    }
    for (const auto& update : plan.update) {
        out += "~ update " + escape_for_terminal(update.email) + " (";
        const auto fields = fields_of(update);
        for (std::size_t i = 0; i < fields.size(); ++i) {
            out += std::string(i == 0 ? "" : ", ") + fields[i];
        }
        out += ")\n";
    }
    for (const auto& email : plan.remove) {
        out += "- delete " + escape_for_terminal(email) + "\n";
    }
    const bool past = plan.written;
    out += std::to_string(plan.create.size()) + (past ? " created, " : " to create, ") +
           std::to_string(plan.update.size()) + (past ? " updated, " : " to update, ") +
           std::to_string(plan.remove.size()) + (past ? " deleted, " : " to delete, ") +
           std::to_string(plan.unchanged) + " unchanged\n";
    return out;
}

std::string plan_json(const ApplyPlan& plan)
{
    std::string out = "{\"create\":" + json_list(plan.create) + ",\"update\":[";
    for (std::size_t i = 0; i < plan.update.size(); ++i) {
        out += std::string(i == 0 ? "" : ",") + "{\"email\":" + json_string(plan.update[i].email) + ",\"fields\":[";
        const auto fields = fields_of(plan.update[i]);
        for (std::size_t f = 0; f < fields.size(); ++f) {
            out += std::string(f == 0 ? "" : ",") + "\"" + fields[f] + "\"";
        }
        out += "]}";
    }
    out += "],\"delete\":" + json_list(plan.remove) + ",\"unchanged\":" + std::to_string(plan.unchanged) +
           ",\"written\":" + (plan.written ? "true" : "false") + "}\n";
    return out;
}

}  // namespace usersctl
