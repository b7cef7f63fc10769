#include "core/errors.hpp"

namespace usersctl {

ExitCode exit_code_for(const std::exception& error) noexcept
{
    if (const auto* e = dynamic_cast<const Error*>(&error); e != nullptr) {
        return e->code();
    }
    return ExitCode::internal;
}

std::string exit_code_footer()
{
    std::string out = "Exit codes:";
    for (const auto& info : k_exit_codes) {
        out += std::string(out.back() == ':' ? " " : ", ") + std::to_string(static_cast<int>(info.code)) + " " +
               info.label;
    }
    return out + ". See usersctl(1).";
}

std::string describe(const std::exception& error)
{
    std::string text = error.what();
    if (const auto* e = dynamic_cast<const Error*>(&error); e != nullptr && !e->hint().empty()) {
        text += "; " + e->hint();
    }
    return text;
}

}  // namespace usersctl
