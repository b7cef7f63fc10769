#pragma once
// The `done` rows of an import (line and email of each row copied straight into the users
// table), kept in an unnamed temporary file of the running user until the staging table needs
// them.

#include "core/database.hpp"

#include <cstdint>
#include <string_view>

namespace usersctl {

/// Only the staged path and the report of bad rows read the `done` rows, and an import whose
/// rows all go straight in needs neither: sending them to the server anyway cost about a tenth
/// of a prehashed import's time. They wait here instead (about 45 bytes a row), in a file opened
/// with O_TMPFILE (mode 0600, no name, gone when the process ends) in $TMPDIR when it is an
/// absolute path, else /tmp, and reach the staging table only when send() is called. The file
/// stays below the process's file size limit, within 64 MiB on tmpfs (memory) and leaves
/// 1 GiB or 5 % of a disk free. Where no such file can be made or written, or it reaches its
/// limit, keep() says so and the caller sends the rows itself, as before: the file is a saving,
/// never a new way to fail.
class DoneSpool {
public:
    DoneSpool();
    ~DoneSpool();
    DoneSpool(const DoneSpool&) = delete;
    DoneSpool& operator=(const DoneSpool&) = delete;

    /// Keeps `rows` (COPY text, whole rows); false when they were not kept (no file, its limit
    /// reached, a write error such as a full disk, or send() already called): the caller sends
    /// them.
    bool keep(std::string_view rows);
    /// Copies every row kept into usersctl_import (k_done_columns), a megabyte at a time, then
    /// keeps nothing more. Throws OutputError when the file cannot be read back.
    void send(Transaction& tx);
private:
    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::uint64_t m_limit = 0;
    bool m_writable = false;
};

}  // namespace usersctl
