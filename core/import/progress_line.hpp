#pragma once
// The import's progress line on a terminal (stderr): rows done, rate and, for a regular file,
// the time left; erased when the import ends.

#include <chrono>
#include <cstdint>
#include <string>

namespace usersctl {

/// "45s", "3m07s", "2h05m": whole seconds, rounded.
std::string format_duration(double seconds);

class ProgressLine {
public:
    /// Shows nothing unless `enabled` (stderr is a terminal, not --quiet). `total_bytes`: the
    /// input's size when known (a regular file), else 0 (no time left is shown).
    ProgressLine(bool enabled, std::uint64_t total_bytes);
    /// Erases the line if it was shown.
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    /// Redraws the line, at most four times a second.
    void update(std::uint64_t rows, std::uint64_t bytes);

private:
    bool m_enabled;
    std::uint64_t m_total;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last;
    bool m_shown = false;
};

}  // namespace usersctl
