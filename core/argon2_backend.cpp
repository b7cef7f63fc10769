#include "core/argon2_backend.hpp"

#include "core/errors.hpp"
#include "core/secret.hpp"

#include <algorithm>
#include <argon2.h>
#include <thread>
#include <vector>

namespace usersctl {

namespace {

argon2_type to_library(Argon2Type type)
{
    switch (type) {
    case Argon2Type::d: return Argon2_d;
    case Argon2Type::i: return Argon2_i;
    case Argon2Type::id: return Argon2_id;
    }
    return Argon2_id;
}

// Lanes are filled by threads of their own, at most one per core. libargon2 starts a thread per
// lane for every slice of every pass, so a value with many small lanes (p = 255 at 2 MiB) would
// spend its time starting threads: below 1 MiB a lane, one thread fills them all. The output is
// the same either way.
std::uint32_t threads_for(const Argon2Cost& cost)
{
    constexpr std::uint32_t k_min_lane_kib = 1024;
    if (cost.lanes < 2 || cost.memory_kib / cost.lanes < k_min_lane_kib) {
        return 1;
    }
    const std::uint32_t cores = std::max(1U, std::thread::hardware_concurrency());
    return std::min(cost.lanes, cores);
}

}  // namespace

std::string argon2_raw(const Argon2Cost& cost, std::string_view password, std::string_view salt, std::size_t length)
{
    // libargon2 takes non-const pointers (it may clear the password): it gets copies, wiped here.
    std::string pwd(password);
    std::vector<std::uint8_t> salt_copy(salt.begin(), salt.end());
    std::string out(length, '\0');
    argon2_context context{};
    context.out = reinterpret_cast<std::uint8_t*>(out.data());
    context.outlen = static_cast<std::uint32_t>(length);
    context.pwd = reinterpret_cast<std::uint8_t*>(pwd.data());
    context.pwdlen = static_cast<std::uint32_t>(pwd.size());
    context.salt = salt_copy.data();
    context.saltlen = static_cast<std::uint32_t>(salt_copy.size());
    context.t_cost = cost.passes;
    context.m_cost = cost.memory_kib;
    context.lanes = cost.lanes;
    context.threads = threads_for(cost);
    context.version = cost.version;
    context.flags = ARGON2_DEFAULT_FLAGS;
    const bool too_long = length > ARGON2_MAX_OUTLEN || salt.size() > ARGON2_MAX_SALT_LENGTH ||
                          password.size() > ARGON2_MAX_PWD_LENGTH;
    const int rc = too_long ? ARGON2_INCORRECT_PARAMETER : argon2_ctx(&context, to_library(cost.type));
    wipe(pwd);
    if (rc != ARGON2_OK) {
        wipe(out);
        throw InternalError(std::string("libargon2 failed: ") + argon2_error_message(rc));
    }
    return out;
}

}  // namespace usersctl
