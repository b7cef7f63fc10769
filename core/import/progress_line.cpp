#include "core/import/progress_line.hpp"

#include <cstdio>

namespace usersctl {

std::string format_duration(double seconds)
{
    const auto s = static_cast<long long>(seconds + 0.5);
    char buf[32];
    if (s >= 3600) {
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", s / 3600, (s / 60) % 60);
    } else if (s >= 60) {
        std::snprintf(buf, sizeof buf, "%lldm%02llds", s / 60, s % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%llds", s);
    }
    return buf;
}

ProgressLine::ProgressLine(bool enabled, std::uint64_t total_bytes)
    : m_enabled(enabled), m_total(total_bytes), m_start(std::chrono::steady_clock::now()), m_last(m_start)
{
}

ProgressLine::~ProgressLine()
{
    if (m_shown) {
        std::fputs("\r\033[K", stderr);
    }
}

void ProgressLine::update(std::uint64_t rows, std::uint64_t bytes)
{
    if (!m_enabled) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last < std::chrono::milliseconds(250)) {
        return;
    }
    m_last = now;
    const double elapsed = std::chrono::duration<double>(now - m_start).count();
    std::string line = "\r\033[Kimport: " + std::to_string(rows) + " rows";
    if (elapsed > 0.5) {
        line += ", " + std::to_string(static_cast<long long>(static_cast<double>(rows) / elapsed)) + " rows/s";
        if (m_total > 0 && bytes > 0 && bytes <= m_total) {
            const double left = elapsed * static_cast<double>(m_total - bytes) / static_cast<double>(bytes);
            line += ", about " + format_duration(left) + " left";
        }
    }
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
    m_shown = true;
}

}  // namespace usersctl
