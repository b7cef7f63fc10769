#include "core/interruption.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <poll.h>
#include <pthread.h>
#include <thread>

using namespace usersctl;

namespace {

bool readable(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

bool blocked_here(int signal_number)
{
    sigset_t mask;
    pthread_sigmask(SIG_SETMASK, nullptr, &mask);
    return sigismember(&mask, signal_number) == 1;
}

}  // namespace

TEST_CASE("interruption: Ctrl-C sets the flag and wakes the descriptor, and the old handler comes back")
{
    struct sigaction before {};
    sigaction(SIGINT, nullptr, &before);
    {
        const Interruption interruption;
        CHECK_FALSE(interruption.requested());
        CHECK_FALSE(readable(interruption.wake_fd()));
        raise(SIGINT);
        CHECK(interruption.requested());
        CHECK(interruption.flag().load());
        CHECK(readable(interruption.wake_fd()));
    }
    struct sigaction after {};
    sigaction(SIGINT, nullptr, &after);
    CHECK(after.sa_handler == before.sa_handler);
    const Interruption again;
    CHECK_FALSE(again.requested());  // a new one starts clear
    CHECK_FALSE(readable(again.wake_fd()));
}

TEST_CASE("interruption: worker threads block the ending signals, the others keep them")
{
    bool in_worker = false;
    bool term_in_worker = false;
    std::thread worker([&] {
        block_interruption_in_this_thread();
        in_worker = blocked_here(SIGINT);
        term_in_worker = blocked_here(SIGTERM) && blocked_here(SIGHUP);
    });
    worker.join();
    CHECK(in_worker);
    CHECK(term_in_worker);
    CHECK_FALSE(blocked_here(SIGINT));
}

namespace {
int g_restored = 0;
void count_restore() noexcept { ++g_restored; }
}  // namespace

TEST_CASE("interruption: RestoreOnSignal installs its handlers for its lifetime only")
{
    struct sigaction before {};
    sigaction(SIGTERM, nullptr, &before);
    {
        const RestoreOnSignal restore(count_restore);
        struct sigaction during {};
        sigaction(SIGTERM, nullptr, &during);
        CHECK(during.sa_handler != before.sa_handler);
    }
    struct sigaction after {};
    sigaction(SIGTERM, nullptr, &after);
    CHECK(after.sa_handler == before.sa_handler);
    CHECK(g_restored == 0);  // nothing arrived
}
