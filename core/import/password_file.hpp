#pragma once
// import --generate-passwords FILE: the generated passwords, with their emails, as CSV in a file
// only the running user can read. Created exclusively (never overwritten), written and synced
// before the import commits, and removed again when the import does not commit.

#include <string>
#include <string_view>

namespace usersctl {

class PasswordFile {
public:
    /// Creates `path` with mode 0600 and writes the header `email,password`. Throws
    /// AlreadyExists (73) when it exists (a symbolic link included), OutputError (74) when it
    /// cannot be created.
    explicit PasswordFile(std::string path);
    /// Throws AlreadyExists, as the constructor would, when `path` exists (a dry run's check).
    static void check_absent(const std::string& path);
    /// Removes the file unless commit_ready() was reached (nothing was committed).
    ~PasswordFile();
    PasswordFile(const PasswordFile&) = delete;
    PasswordFile& operator=(const PasswordFile&) = delete;

    /// Appends CSV lines (`email,password\r\n` each). Throws OutputError on a write error.
    void write(std::string_view lines);
    /// Flushes to the disk (fsync of the file and its folder); from here on the file is kept,
    /// since a commit that fails now may still have happened. Throws OutputError.
    void commit_ready();

    const std::string& path() const { return m_path; }
    /// Whether the file stays (commit_ready() was reached).
    bool kept() const { return m_keep; }

private:
    std::string m_path;
    int m_fd = -1;
    bool m_keep = false;
};

}  // namespace usersctl
