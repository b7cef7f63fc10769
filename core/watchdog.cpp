#include "core/watchdog.hpp"

#include <sys/socket.h>

namespace usersctl {

Watchdog::Watchdog() = default;

Watchdog::~Watchdog()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void Watchdog::arm(int fd, std::chrono::milliseconds limit)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_thread.joinable()) {
        m_thread = std::thread([this] { loop(); });  // waits for the lock this call holds
    }
    m_fd = fd;
    m_deadline = std::chrono::steady_clock::now() + limit;
    // Pushing the deadline of an armed watchdog further out needs no wake-up: the thread finds
    // the later deadline when the earlier one passes.
    if (!m_armed) {
        m_armed = true;
        m_cv.notify_all();
    }
}

void Watchdog::disarm()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_armed = false;
}

bool Watchdog::fired() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_fired;
}

void Watchdog::loop()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stop) {
        if (!m_armed) {
            m_cv.wait(lock);
            continue;
        }
        // shutdown(), not close(): the descriptor stays libpq's, and its blocked call returns.
        if (m_cv.wait_until(lock, m_deadline) == std::cv_status::timeout && m_armed &&
            std::chrono::steady_clock::now() >= m_deadline) {
            ::shutdown(m_fd, SHUT_RDWR);
            m_fired = true;
            m_armed = false;
        }
    }
}

}  // namespace usersctl
