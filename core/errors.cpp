#include "core/errors.hpp"

namespace usersctl {

ExitCode exit_code_for(const std::exception& error) noexcept
{
    const auto is = [&error](auto* tag) {
        using T = std::remove_pointer_t<decltype(tag)>;
        return dynamic_cast<const T*>(&error) != nullptr;
    };
    if (is(static_cast<UsageError*>(nullptr))) { return ExitCode::usage; }
    if (is(static_cast<InvalidInput*>(nullptr))) { return ExitCode::data_error; }
    if (is(static_cast<NoInput*>(nullptr))) { return ExitCode::no_input; }
    if (is(static_cast<NotFound*>(nullptr))) { return ExitCode::no_account; }
    if (is(static_cast<Unavailable*>(nullptr))) { return ExitCode::unavailable; }
    if (is(static_cast<AlreadyExists*>(nullptr))) { return ExitCode::already_exists; }
    if (is(static_cast<OutputError*>(nullptr))) { return ExitCode::io_error; }
    if (is(static_cast<TemporaryFailure*>(nullptr))) { return ExitCode::temporary; }
    if (is(static_cast<PermissionDenied*>(nullptr))) { return ExitCode::permission; }
    if (is(static_cast<ConfigError*>(nullptr))) { return ExitCode::config; }
    if (is(static_cast<Interrupted*>(nullptr))) { return ExitCode::interrupted; }
    if (is(static_cast<OutputClosed*>(nullptr))) { return ExitCode::ok; }
    return ExitCode::internal;
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
