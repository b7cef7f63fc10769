#include "core/import/password_file.hpp"

#include "core/errors.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <libgen.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace usersctl {

namespace {

[[noreturn]] void write_failed(const std::string& path, int error)
{
    throw OutputError("cannot write the generated passwords to " + path + ": " + std::strerror(error) +
                          "; nothing was imported",
                      "free space or choose another --generate-passwords file, then re-run");
}

void write_all(int fd, const std::string& path, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            write_failed(path, errno);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

[[noreturn]] void exists(const std::string& path)
{
    throw AlreadyExists(path + " already exists; generated passwords never overwrite a file",
                        "move it away or choose another --generate-passwords file");
}

}  // namespace

void PasswordFile::check_absent(const std::string& path)
{
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        exists(path);
    }
}

PasswordFile::PasswordFile(std::string path) : m_path(std::move(path))
{
    // O_EXCL with O_CREAT also refuses a symbolic link in the way, wherever it points.
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m_fd < 0) {
        const int error = errno;
        if (error == EEXIST) {
            exists(m_path);
        }
        throw OutputError("cannot create " + m_path + ": " + std::strerror(error),
                          "choose a --generate-passwords file in a folder you can write");
    }
    // The umask may only narrow 0600; a file we did not create is impossible here (O_EXCL).
    write_all(m_fd, m_path, "email,password\r\n");
}

PasswordFile::~PasswordFile()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
    if (!m_keep) {
        if (::unlink(m_path.c_str()) != 0) {
            spdlog::warn("could not remove {} ({}); it holds passwords of accounts that were not created",
                         m_path, std::strerror(errno));
        }
    }
}

void PasswordFile::write(std::string_view lines)
{
    write_all(m_fd, m_path, lines);
}

void PasswordFile::commit_ready()
{
    if (::fsync(m_fd) != 0) {
        write_failed(m_path, errno);
    }
    // The file's name must survive a crash too: sync the folder it is in.
    std::string folder_path = m_path;
    const int folder = ::open(::dirname(folder_path.data()), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
    m_keep = true;
}

}  // namespace usersctl
