#pragma once
// A deadline for blocking calls on a socket. libpq blocks without a client-side limit once
// connected: a peer that stops answering (a stalled proxy, a half-open TCP connection) would
// hang usersctl forever. The watchdog's thread shuts the socket down when one call outlives its
// deadline, so the blocked call fails and core/database reports the server as unavailable.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace usersctl {

class Watchdog {
public:
    /// Disarmed; its thread starts at the first arm() (a run that never arms it, such as one
    /// read_once, starts no thread).
    Watchdog();
    /// Stops and joins the thread.
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    /// Shuts `fd` down unless disarm() or another arm() comes within `limit`.
    void arm(int fd, std::chrono::milliseconds limit);
    /// Cancels the deadline.
    void disarm();
    /// Whether a deadline passed and the socket was shut down.
    bool fired() const;

private:
    void loop();

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_fd = -1;
    std::chrono::steady_clock::time_point m_deadline;
    bool m_armed = false;
    bool m_fired = false;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace usersctl
