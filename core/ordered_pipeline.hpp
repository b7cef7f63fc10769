#pragma once
// A producer thread, N worker threads and one consumer that takes the results back in the
// producer's order, with a bounded window of items in flight. Import's reading, checking and
// hashing run on it; any bulk command that must hash on every core in file order can too.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <pthread.h>
#include <thread>
#include <vector>

namespace usersctl {

template <typename Input, typename Output>
class OrderedPipeline {
public:
    /// Fills the next input and says what it weighs in bytes; false at the end. Runs on the
    /// producer thread.
    using Produce = std::function<bool(Input& item, std::size_t& bytes)>;
    /// Turns one input into its output. Runs on the worker threads, several at once.
    using Transform = std::function<Output(Input& item)>;

    /// At most this many items, and about this many bytes of input, are in flight (produced but
    /// not yet taken by next()); the producer waits beyond that, so memory stays flat.
    struct Limits {
        std::size_t items = 64;
        std::size_t bytes = 4 << 20;
    };

    /// Optional: `producer_start` and `worker_start` run first on the producer and on each worker
    /// thread (to set their signal masks); once `*cancel` is set, next() returns false within
    /// k_cancel_poll and the threads stop at their next item.
    struct Hooks {
        std::function<void()> producer_start;
        std::function<void()> worker_start;
        const std::atomic<bool>* cancel = nullptr;
    };

    /// How often next() looks at the cancel flag while it waits.
    static constexpr std::chrono::milliseconds k_cancel_poll{20};

    /// Starts the threads.
    OrderedPipeline(Produce produce, Transform transform, unsigned workers, Limits limits, Hooks hooks = {})
        : m_produce(std::move(produce)), m_transform(std::move(transform)), m_limits(limits), m_hooks(std::move(hooks))
    {
        m_threads.emplace_back([this] { run_thread(m_hooks.producer_start, &OrderedPipeline::produce_loop); });
        for (unsigned i = 0; i < (workers == 0 ? 1 : workers); ++i) {
            m_threads.emplace_back([this] { run_thread(m_hooks.worker_start, &OrderedPipeline::work_loop); });
        }
    }

    /// Starts the threads with `producer_signals` delivered to the producer thread only while the
    /// pipeline lives: the calling thread and every worker block them, the producer unblocks them,
    /// each explicitly (whatever order the threads start in).
    OrderedPipeline(Produce produce, Transform transform, unsigned workers, Limits limits,
                    const sigset_t* producer_signals)
        : OrderedPipeline(std::move(produce), std::move(transform), workers, limits, producer_only(producer_signals))
    {
        if (producer_signals != nullptr) {
            pthread_sigmask(SIG_BLOCK, producer_signals, &m_saved_mask);
            m_restore_mask = true;
        }
    }

    /// Stops every thread (an unfinished producer or worker drops its work) and joins them.
    ~OrderedPipeline()
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        for (auto& t : m_threads) {
            t.join();
        }
        if (m_restore_mask) {
            pthread_sigmask(SIG_SETMASK, &m_saved_mask, nullptr);
        }
    }

    OrderedPipeline(const OrderedPipeline&) = delete;
    OrderedPipeline& operator=(const OrderedPipeline&) = delete;

    /// The next output in the producer's order; false once all are taken or the pipeline is
    /// cancelled (the caller tells which). Rethrows the first exception the producer or a worker
    /// threw.
    bool next(Output& out)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        const auto ready = [this] {
            return cancelled() || m_error || m_done.count(m_next_out) > 0 ||
                   (m_produced_all && m_next_out == m_next_in);
        };
        if (m_hooks.cancel == nullptr) {
            m_cv.wait(lock, ready);
        } else {
            // A signal handler cannot notify a condition variable: the flag is polled.
            while (!m_cv.wait_for(lock, k_cancel_poll, ready)) {
            }
        }
        if (cancelled()) {
            return false;
        }
        if (m_error) {
            std::rethrow_exception(m_error);
        }
        const auto it = m_done.find(m_next_out);
        if (it == m_done.end()) {
            return false;
        }
        out = std::move(it->second.first);
        m_inflight_bytes -= it->second.second;
        m_done.erase(it);
        ++m_next_out;
        m_cv.notify_all();
        return true;
    }

private:
    bool cancelled() const { return m_hooks.cancel != nullptr && m_hooks.cancel->load(); }

    static Hooks producer_only(const sigset_t* signals)
    {
        if (signals == nullptr) {
            return {};
        }
        const sigset_t set = *signals;
        return {[set] { pthread_sigmask(SIG_UNBLOCK, &set, nullptr); },
                [set] { pthread_sigmask(SIG_BLOCK, &set, nullptr); }, nullptr};
    }

    void run_thread(const std::function<void()>& start, void (OrderedPipeline::*loop)())
    {
        if (start) {
            start();
        }
        (this->*loop)();
    }

    void fail(std::exception_ptr error)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (!m_error) {
            m_error = error;
        }
        m_stop = true;
        m_cv.notify_all();
    }

    void produce_loop()
    {
        try {
            while (true) {
                Input item{};
                std::size_t bytes = 0;
                if (!m_produce(item, bytes)) {
                    break;
                }
                std::unique_lock<std::mutex> lock(m_mutex);
                m_cv.wait(lock, [this] {
                    return m_stop || (m_next_in - m_next_out < m_limits.items && m_inflight_bytes < m_limits.bytes);
                });
                if (m_stop || cancelled()) {
                    return;
                }
                m_inflight_bytes += bytes;
                m_todo.emplace(m_next_in++, std::make_pair(std::move(item), bytes));
                m_cv.notify_all();
            }
            std::lock_guard<std::mutex> lock(m_mutex);
            m_produced_all = true;
            m_cv.notify_all();
        } catch (...) {
            fail(std::current_exception());
        }
    }

    void work_loop()
    {
        try {
            while (true) {
                std::uint64_t index = 0;
                std::pair<Input, std::size_t> job;
                {
                    std::unique_lock<std::mutex> lock(m_mutex);
                    m_cv.wait(lock, [this] { return m_stop || !m_todo.empty() || m_produced_all; });
                    if (m_stop || cancelled() || (m_todo.empty() && m_produced_all)) {
                        return;
                    }
                    index = m_todo.begin()->first;
                    job = std::move(m_todo.begin()->second);
                    m_todo.erase(m_todo.begin());
                }
                Output result = m_transform(job.first);
                std::lock_guard<std::mutex> lock(m_mutex);
                m_done.emplace(index, std::make_pair(std::move(result), job.second));
                m_cv.notify_all();
            }
        } catch (...) {
            fail(std::current_exception());
        }
    }

    Produce m_produce;
    Transform m_transform;
    Limits m_limits;
    Hooks m_hooks;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::map<std::uint64_t, std::pair<Input, std::size_t>> m_todo;   ///< produced, not yet taken by a worker
    std::map<std::uint64_t, std::pair<Output, std::size_t>> m_done;  ///< transformed, not yet taken by next()
    std::size_t m_inflight_bytes = 0;
    std::uint64_t m_next_in = 0;
    std::uint64_t m_next_out = 0;
    bool m_produced_all = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::vector<std::thread> m_threads;
    sigset_t m_saved_mask{};
    bool m_restore_mask = false;
};

}  // namespace usersctl
