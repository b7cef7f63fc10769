#include "core/import/done_spool.hpp"

#include "core/errors.hpp"
#include "core/import/staged_batch.hpp"
#include "core/text.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fcntl.h>
#include <linux/magic.h>
#include <spdlog/spdlog.h>
#include <string>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace usersctl {

namespace {

constexpr std::size_t k_piece_bytes = 1 << 20;
// In a RAM-backed file system the file is memory (charged to the process's memory cgroup, never
// reclaimed): no more than this much there. On a disk it leaves the larger of these free.
constexpr std::uint64_t k_ram_limit = std::uint64_t{64} << 20;
constexpr std::uint64_t k_disk_reserve = std::uint64_t{1} << 30;
constexpr std::uint64_t k_disk_reserve_share = 20;  // 1/20: 5 % of the file system

std::string spool_folder()
{
    const char* tmpdir = std::getenv("TMPDIR");
    return tmpdir != nullptr && tmpdir[0] == '/' ? tmpdir : "/tmp";
}

// How large the file may grow: below the process's file size limit (a write past it would raise
// SIGXFSZ, which ends the process), within k_ram_limit on tmpfs or ramfs, and short of the
// disk's reserve.
std::uint64_t size_limit(int fd)
{
    std::uint64_t limit = UINT64_MAX;
    struct rlimit fsize {};
    if (::getrlimit(RLIMIT_FSIZE, &fsize) == 0 && fsize.rlim_cur != RLIM_INFINITY) {
        limit = fsize.rlim_cur;
    }
    struct statfs fs {};
    if (::fstatfs(fd, &fs) != 0) {
        return 0;
    }
    if (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC) {
        return std::min(limit, k_ram_limit);
    }
    const auto block = static_cast<std::uint64_t>(fs.f_bsize);
    const std::uint64_t available = static_cast<std::uint64_t>(fs.f_bavail) * block;
    const std::uint64_t reserve =
        std::max(k_disk_reserve, static_cast<std::uint64_t>(fs.f_blocks) * block / k_disk_reserve_share);
    return std::min(limit, available > reserve ? available - reserve : 0);
}

}  // namespace

DoneSpool::DoneSpool()
{
    const std::string folder = spool_folder();
    // O_TMPFILE: an inode with no name, so no other process can open it by a path and nothing is
    // left behind however the process ends; O_EXCL: it can never be given one (linkat).
    m_fd = ::open(folder.c_str(), O_TMPFILE | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
    if (m_fd < 0) {
        const int error = errno;
        spdlog::debug("import: no temporary file in {} ({}); rows copied straight in are listed in the staging "
                      "table as they go",
                      escape_for_terminal(folder), std::strerror(error));
        return;
    }
    m_limit = size_limit(m_fd);
    m_writable = true;
}

DoneSpool::~DoneSpool()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

bool DoneSpool::keep(std::string_view rows)
{
    if (!m_writable) {
        return false;
    }
    if (rows.size() > m_limit - m_size) {
        spdlog::debug("import: the temporary file of rows copied straight in reached its limit ({} bytes); the "
                      "rest are listed in the staging table as they go",
                      m_size);
        m_writable = false;
        return false;
    }
    std::uint64_t written = 0;
    while (written < rows.size()) {
        const ssize_t n = ::pwrite(m_fd, rows.data() + written, rows.size() - written,
                                   static_cast<off_t>(m_size + written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            // What this call wrote is not counted, so it is never read back; what earlier calls
            // kept still is, at send().
            spdlog::debug("import: the temporary file of rows copied straight in cannot be written ({}); the "
                          "rest are listed in the staging table as they go",
                          n < 0 ? std::strerror(errno) : "no progress");
            m_writable = false;
            return false;
        }
        written += static_cast<std::uint64_t>(n);
    }
    m_size += written;
    return true;
}

void DoneSpool::send(Transaction& tx)
{
    m_writable = false;
    std::string piece;
    std::uint64_t offset = 0;
    while (offset < m_size) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(k_piece_bytes, m_size - offset));
        const std::size_t kept = piece.size();
        piece.resize(kept + want);
        const ssize_t n = ::pread(m_fd, piece.data() + kept, want, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) {
            piece.resize(kept);
            continue;
        }
        if (n <= 0) {
            throw OutputError(std::string("cannot read back the import's temporary file: ") +
                                  (n < 0 ? std::strerror(errno) : "it is shorter than written") +
                                  "; nothing was imported",
                              "check the folder of $TMPDIR (or /tmp) and run the import again");
        }
        piece.resize(kept + static_cast<std::size_t>(n));
        offset += static_cast<std::uint64_t>(n);
        // A COPY takes whole rows: the part after the last line end waits for the next piece.
        const std::size_t end = piece.rfind('\n');
        if (end == std::string::npos) {
            continue;
        }
        const std::string rest = piece.substr(end + 1);
        piece.resize(end + 1);
        tx.copy_in("usersctl_import", k_done_columns, piece);
        piece = rest;
    }
    if (!piece.empty()) {
        tx.copy_in("usersctl_import", k_done_columns, piece);
    }
    m_size = 0;
}

}  // namespace usersctl
