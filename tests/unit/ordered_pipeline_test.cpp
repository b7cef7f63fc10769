#include "core/ordered_pipeline.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <stdexcept>

using namespace usersctl;

namespace {

using IntPipeline = OrderedPipeline<int, int>;

// Produces 0..count-1, each weighing one byte.
IntPipeline::Produce counter(int count, std::atomic<int>& produced)
{
    return [count, &produced](int& item, std::size_t& bytes) {
        if (produced.load() >= count) {
            return false;
        }
        item = produced++;
        bytes = 1;
        return true;
    };
}

}  // namespace

TEST_CASE("the ordered pipeline hands results back in the producer's order whatever the workers' timing")
{
    std::atomic<int> produced{0};
    std::atomic<std::uint32_t> seed{1};
    IntPipeline pipeline(
        counter(2000, produced),
        [&seed](int& item) {
            std::minstd_rand random(seed++);
            std::this_thread::sleep_for(std::chrono::microseconds(random() % 200));
            return item * 3;
        },
        4, {16, 1 << 20});
    int expected = 0;
    int out = -1;
    while (pipeline.next(out)) {
        REQUIRE(out == expected * 3);
        ++expected;
    }
    CHECK(expected == 2000);
    CHECK_FALSE(pipeline.next(out));
}

TEST_CASE("the ordered pipeline keeps at most its window in flight")
{
    std::atomic<int> produced{0};
    IntPipeline pipeline(counter(300, produced), [](int& item) { return item; }, 2, {8, 1 << 20});
    int out = 0;
    int consumed = 0;
    int most = 0;
    while (pipeline.next(out)) {
        ++consumed;
        std::this_thread::sleep_for(std::chrono::microseconds(300));  // a slow consumer
        // Produced but not consumed: the window, plus the one item the producer holds while it
        // waits for room.
        most = std::max(most, produced.load() - consumed);
    }
    CHECK(consumed == 300);
    CHECK(most <= 8 + 1);
    CHECK(most >= 4);  // and the window is used, so the workers do run ahead
}

TEST_CASE("the ordered pipeline bounds the bytes in flight too")
{
    std::atomic<int> produced{0};
    OrderedPipeline<int, int> pipeline(
        [&produced](int& item, std::size_t& bytes) {
            if (produced.load() >= 100) {
                return false;
            }
            item = produced++;
            bytes = 1000;
            return true;
        },
        [](int& item) { return item; }, 2, {64, 3000});
    int out = 0;
    int consumed = 0;
    int most = 0;
    while (pipeline.next(out)) {
        ++consumed;
        std::this_thread::sleep_for(std::chrono::microseconds(300));
        most = std::max(most, produced.load() - consumed);
    }
    CHECK(consumed == 100);
    CHECK(most <= 3 + 1);
}

TEST_CASE("the ordered pipeline rethrows what the producer or a worker threw, and stops")
{
    SECTION("producer")
    {
        int n = 0;
        IntPipeline pipeline(
            [&n](int& item, std::size_t& bytes) {
                if (n == 50) {
                    throw std::runtime_error("unreadable input");
                }
                item = n++;
                bytes = 1;
                return true;
            },
            [](int& item) { return item; }, 3, {8, 1 << 20});
        int out = 0;
        int taken = 0;
        CHECK_THROWS_WITH(([&] {
                              while (pipeline.next(out)) {
                                  ++taken;
                              }
                          }()),
                          "unreadable input");
        CHECK(taken <= 50);
    }
    SECTION("worker")
    {
        std::atomic<int> produced{0};
        IntPipeline pipeline(
            counter(1000, produced),
            [](int& item) {
                if (item == 77) {
                    throw std::invalid_argument("bad item");
                }
                return item;
            },
            3, {8, 1 << 20});
        int out = 0;
        int taken = 0;
        CHECK_THROWS_AS(([&] {
                            while (pipeline.next(out)) {
                                REQUIRE(out == taken++);
                            }
                        }()),
                        std::invalid_argument);
        CHECK(taken <= 77);
        CHECK(produced.load() < 1000);  // the producer stopped too
    }
}

TEST_CASE("the ordered pipeline can be left early and with nothing to do")
{
    std::atomic<int> produced{0};
    {
        IntPipeline pipeline(counter(1'000'000, produced), [](int& item) { return item; }, 2, {4, 1 << 20});
        int out = 0;
        REQUIRE(pipeline.next(out));
        CHECK(out == 0);
    }  // destroyed with the producer waiting for room: must not hang
    CHECK(produced.load() < 1000);
    std::atomic<int> none{0};
    IntPipeline empty(counter(0, none), [](int& item) { return item; }, 2, {4, 1 << 20});
    int out = 0;
    CHECK_FALSE(empty.next(out));
}

TEST_CASE("the ordered pipeline delivers the producer's signals to the producer thread only")
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigset_t before;
    pthread_sigmask(SIG_SETMASK, nullptr, &before);
    REQUIRE(sigismember(&before, SIGUSR1) == 0);
    std::atomic<bool> worker_blocks{false};
    std::atomic<bool> producer_blocks{true};
    {
        std::atomic<int> produced{0};
        IntPipeline pipeline(
            [&](int& item, std::size_t& bytes) {
                sigset_t mine;
                pthread_sigmask(SIG_SETMASK, nullptr, &mine);
                producer_blocks = sigismember(&mine, SIGUSR1) == 1;
                return counter(10, produced)(item, bytes);
            },
            [&](int& item) {
                sigset_t mine;
                pthread_sigmask(SIG_SETMASK, nullptr, &mine);
                worker_blocks = sigismember(&mine, SIGUSR1) == 1;
                return item;
            },
            2, {4, 1 << 20}, &usr1);
        sigset_t during;
        pthread_sigmask(SIG_SETMASK, nullptr, &during);
        CHECK(sigismember(&during, SIGUSR1) == 1);
        int out = 0;
        while (pipeline.next(out)) {
        }
    }
    CHECK_FALSE(producer_blocks.load());
    CHECK(worker_blocks.load());
    sigset_t after;
    pthread_sigmask(SIG_SETMASK, nullptr, &after);
    CHECK(sigismember(&after, SIGUSR1) == 0);  // the caller's mask is back
}

TEST_CASE("the ordered pipeline runs the start hooks on its threads and stops soon once cancelled")
{
    std::atomic<int> producer_starts{0};
    std::atomic<int> worker_starts{0};
    std::atomic<bool> cancel{false};
    std::atomic<int> produced{0};
    {
        IntPipeline pipeline(
            counter(1'000'000, produced),
            [](int& item) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                return item;
            },
            3, {8, 1 << 20}, {[&] { ++producer_starts; }, [&] { ++worker_starts; }, &cancel});
        int out = 0;
        REQUIRE(pipeline.next(out));
        CHECK(out == 0);
        std::thread canceller([&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            cancel = true;
        });
        const auto start = std::chrono::steady_clock::now();
        while (pipeline.next(out)) {
        }
        const auto waited = std::chrono::steady_clock::now() - start;
        canceller.join();
        CHECK(cancel.load());
        CHECK(waited < std::chrono::seconds(2));
    }  // joined: every thread has started by now
    CHECK(producer_starts.load() == 1);
    CHECK(worker_starts.load() == 3);
    CHECK(produced.load() < 1'000'000);
}
