#pragma once
// Ctrl-C and the other signals that end a run, in one place: the handlers (sigaction), the flag
// a long command polls, and which threads may take the signal. Start-up code creates what a
// command needs and passes it down; nothing else installs a signal handler.

#include <atomic>

namespace usersctl {

/// Ctrl-C as a request to stop cleanly (import: roll back, exit 130). While it lives, the first
/// SIGINT sets the flag and makes wake_fd() readable, whichever thread it lands on; a second one
/// ends the process as usual (the server rolls back just the same). One at a time.
class Interruption {
public:
    /// Installs the SIGINT handler (no SA_RESTART, so a blocked read returns EINTR); throws
    /// std::system_error when the wake pipe cannot be made.
    Interruption();
    /// Puts the previous SIGINT handler back.
    ~Interruption();
    Interruption(const Interruption&) = delete;
    Interruption& operator=(const Interruption&) = delete;

    /// True once SIGINT arrived.
    bool requested() const noexcept;
    /// The flag itself, for code that polls it (e.g. OrderedPipeline's cancel).
    const std::atomic<bool>& flag() const noexcept;
    /// A descriptor that becomes readable when SIGINT arrives: a read waits in poll() on it and
    /// its input, so it returns on Ctrl-C without the signal having to land on its thread.
    int wake_fd() const noexcept;
};

/// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread: for worker threads (hashing), which
/// must never be the one a signal interrupts. The handlers then run on a thread that waits.
void block_interruption_in_this_thread();

/// While it lives, SIGINT, SIGTERM and SIGHUP first call `restore` (which must be
/// async-signal-safe: a terminal's settings put back) and then end the process as the signal
/// would have. For a prompt with echo off.
class RestoreOnSignal {
public:
    explicit RestoreOnSignal(void (*restore)() noexcept);
    ~RestoreOnSignal();
    RestoreOnSignal(const RestoreOnSignal&) = delete;
    RestoreOnSignal& operator=(const RestoreOnSignal&) = delete;
};

}  // namespace usersctl
