#include "core/import/input_file.hpp"

#include "core/errors.hpp"
#include "core/interruption.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace usersctl {

InputFile::InputFile(const std::string& path) : m_path(path)
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

InputFile::~InputFile()
{
    if (m_owned) {
        ::close(m_fd);
    }
}

bool InputFile::wait_for_input(const Interruption* interruption) const
{
    if (interruption == nullptr || m_size > 0) {
        return interruption == nullptr || !interruption->requested();
    }
    // A terminal or a pipe may wait for ever: wait for it and for Ctrl-C together, on whichever
    // thread the signal lands.
    pollfd fds[2] = {{m_fd, POLLIN, 0}, {interruption->wake_fd(), POLLIN, 0}};
    while (::poll(fds, 2, -1) < 0) {
        if (errno != EINTR) {
            return true;  // the read that follows reports what is wrong
        }
    }
    return !interruption->requested();
}

std::size_t InputFile::read(char* buffer, std::size_t size, const Interruption* interruption)
{
    while (true) {
        if (!wait_for_input(interruption)) {
            return 0;  // the importing thread sees the flag and rolls back
        }
        const ssize_t n = ::read(m_fd, buffer, size);
        if (n >= 0) {
            return static_cast<std::size_t>(n);
        }
        if (errno != EINTR) {
            throw NoInput("cannot read '" + m_path + "': " + std::strerror(errno));
        }
    }
}

}  // namespace usersctl
