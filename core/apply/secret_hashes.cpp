#include "core/apply/secret_hashes.hpp"

#include "core/accounts.hpp"
#include "core/errors.hpp"
#include "core/interruption.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace usersctl {

namespace {

// Whether the account needs a new hash: created, always, or if_changed with a stored hash that
// does not verify the password (verify_password also refuses formats it cannot read).
bool needs_hash(const DeclaredAccount& account, const SecretHash& state)
{
    if (!state.seen || account.update == PasswordUpdate::always) {
        return true;
    }
    if (account.update == PasswordUpdate::on_create) {
        return false;
    }
    return !verify_password(account.password->view(), state.expected_hash.value_or(""));
}

}  // namespace

std::vector<std::optional<SecretHash>> make_secret_hashes(Database& db, const TableName& table,
                                                          const std::vector<DeclaredAccount>& accounts,
                                                          const HashSettings& settings, unsigned jobs,
                                                          const Interruption* interruption)
{
    std::vector<std::optional<SecretHash>> out(accounts.size());
    std::vector<std::size_t> work;
    for (std::size_t i = 0; i < accounts.size(); ++i) {
        if (accounts[i].origin != PasswordOrigin::hash) {
            work.push_back(i);
        }
    }
    if (work.empty()) {
        return out;
    }
    db.transaction([&](Transaction& tx) {
        for (const std::size_t i : work) {
            SecretHash state;
            const auto stored = find_account(tx, table, AccountKey{accounts[i].email, std::nullopt}, false);
            if (stored) {
                state.seen = true;
                state.expected_hash = stored->password_hash;
            }
            out[i] = std::move(state);
        }
    });
    // The threads block SIGINT, so Ctrl-C lands on this thread (waiting in join) and sets the
    // flag they poll between hashes.
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_lock;
    auto worker = [&] {
        try {
            for (std::size_t k = next++; k < work.size(); k = next++) {
                if (interruption != nullptr && interruption->requested()) {
                    return;
                }
                const DeclaredAccount& account = accounts[work[k]];
                SecretHash& state = *out[work[k]];
                if (needs_hash(account, state)) {
                    state.new_hash = hash_password(account.password->view(), settings);
                    state.password_change = state.seen;
                }
            }
        } catch (...) {
            const std::lock_guard<std::mutex> guard(failure_lock);
            failure = std::current_exception();
            next = work.size();
        }
    };
    const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(work.size(), std::max(1U, jobs)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
        pool.emplace_back([&worker] {
            block_interruption_in_this_thread();
            worker();
        });
    }
    worker();
    for (auto& thread : pool) {
        thread.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    if (interruption != nullptr && interruption->requested()) {
        throw Interrupted("interrupted; nothing was applied");
    }
    return out;
}

}  // namespace usersctl
