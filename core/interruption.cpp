#include "core/interruption.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <iterator>
#include <pthread.h>
#include <system_error>
#include <unistd.h>

namespace usersctl {

namespace {

// Process-wide by nature: a signal handler can reach only static state.
std::atomic<bool> g_interrupted{false};
int g_wake_read = -1;
int g_wake_write = -1;
struct sigaction g_old_sigint {};

constexpr int k_ending_signals[] = {SIGINT, SIGTERM, SIGHUP};
void (*g_restore)() noexcept = nullptr;
struct sigaction g_old_ending[3] {};

static_assert(std::atomic<bool>::is_always_lock_free, "the flag is set from a signal handler");

extern "C" void on_interrupt(int)
{
    const int saved_errno = errno;
    g_interrupted.store(true);
    const char byte = 1;
    [[maybe_unused]] auto ignored = ::write(g_wake_write, &byte, 1);  // non-blocking; one is enough
    errno = saved_errno;
}

extern "C" void restore_and_reraise(int signal_number)
{
    if (g_restore != nullptr) {
        g_restore();
    }
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signal_number, &fallback, nullptr);
    // Blocked while this handler runs: delivered, with the default action, as it returns.
    raise(signal_number);
}

}  // namespace

Interruption::Interruption()
{
    // One pipe for the life of the process, never closed: a handler still running on another
    // thread as an Interruption ends must not write into a descriptor number reused since.
    if (g_wake_read < 0) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
            throw std::system_error(errno, std::generic_category(), "cannot create the interruption pipe");
        }
        g_wake_read = fds[0];
        g_wake_write = fds[1];
    }
    char drained[64];
    while (::read(g_wake_read, drained, sizeof drained) > 0) {
    }
    g_interrupted.store(false);
    // SA_RESETHAND: a second Ctrl-C ends the process outright. No SA_RESTART: a read waiting on
    // a terminal or a pipe on the thread the signal lands on returns at once.
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &g_old_sigint);
}

Interruption::~Interruption()
{
    sigaction(SIGINT, &g_old_sigint, nullptr);
}

bool Interruption::requested() const noexcept
{
    return g_interrupted.load();
}

const std::atomic<bool>& Interruption::flag() const noexcept
{
    return g_interrupted;
}

int Interruption::wake_fd() const noexcept
{
    return g_wake_read;
}

void block_interruption_in_this_thread()
{
    sigset_t set;
    sigemptyset(&set);
    for (const int s : k_ending_signals) {
        sigaddset(&set, s);
    }
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

RestoreOnSignal::RestoreOnSignal(void (*restore)() noexcept)
{
    g_restore = restore;
    struct sigaction action {};
    action.sa_handler = restore_and_reraise;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < std::size(k_ending_signals); ++i) {
        sigaction(k_ending_signals[i], &action, &g_old_ending[i]);
    }
}

RestoreOnSignal::~RestoreOnSignal()
{
    for (std::size_t i = 0; i < std::size(k_ending_signals); ++i) {
        sigaction(k_ending_signals[i], &g_old_ending[i], nullptr);
    }
    g_restore = nullptr;
}

}  // namespace usersctl
