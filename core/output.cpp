#include "core/output.hpp"

#include "core/errors.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace usersctl {

namespace {

[[noreturn]] void throw_write_error(int error)
{
    if (error == EPIPE) {
        throw OutputClosed("stdout was closed");
    }
    throw OutputError(std::string("cannot write to stdout: ") + std::strerror(error));
}

}  // namespace

void write_stdout(std::string_view data)
{
    if (data.empty()) {
        return;
    }
    errno = 0;
    if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
        throw_write_error(errno != 0 ? errno : EIO);
    }
}

void flush_stdout()
{
    errno = 0;
    if (std::fflush(stdout) != 0) {
        throw_write_error(errno != 0 ? errno : EIO);
    }
}

}  // namespace usersctl
