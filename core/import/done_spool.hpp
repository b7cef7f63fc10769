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
/// of a prehashed import's time. They wait here instead, in a file opened with O_TMPFILE (mode
/// 0600, no name, gone when the process ends) in $TMPDIR, else /tmp, and reach the staging table
/// only when send() is called. Where no such file can be made or written, keep() says so and
/// the caller sends the rows itself, as before: the file is a saving, never a new way to fail.
class DoneSpool {
public:
    DoneSpool();
    ~DoneSpool();
    DoneSpool(const DoneSpool&) = delete;
    DoneSpool& operator=(const DoneSpool&) = delete;

    /// Keeps `rows` (COPY text, whole rows); false when they were not kept (no file, a write
    /// error such as a full disk, or send() already called): the caller sends them.
    bool keep(std::string_view rows);
    /// Copies every row kept into usersctl_import (k_done_columns), a megabyte at a time, then
    /// keeps nothing more. Throws OutputError when the file cannot be read back.
    void send(Transaction& tx);
    /// Bytes kept and not sent yet.
    std::uint64_t size() const { return m_size; }

private:
    int m_fd = -1;
    std::uint64_t m_size = 0;
    bool m_writable = false;
};

}  // namespace usersctl
