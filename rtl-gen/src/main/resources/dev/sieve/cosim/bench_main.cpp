// Sieve co-simulation benchmark: the Verilated model driven from a plain C++ loop, no wrapper,
// no JVM. Same cycle as the wrapper: write inputs, clk = 0 eval, clk = 1 eval, read outputs.
#include "Vmodel.h"
#include "verilated.h"
#include "sieve_ports.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    using sieve::get;
    using sieve::put;
    const long long cycles = argc > 1 ? std::atoll(argv[1]) : 10000000LL;
    VerilatedContext ctx;
    Vmodel* m = new Vmodel(&ctx, "TOP");
    uint64_t x = 0x9E3779B97F4A7C15ULL;  // xorshift64 state: cheap random-ish inputs
    uint64_t checksum = 0;
@RESET@
    const auto start = std::chrono::steady_clock::now();
    for (long long k = 0; k < cycles; ++k) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
@RANDOM_INPUTS@
@CLOCK_CYCLE@
@ACCUMULATE_OUTPUTS@
    }
    const auto stop = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(stop - start).count();
    std::printf("raw_cycles=%lld seconds=%.6f cycles_per_s=%.1f checksum=%llu\n", cycles, seconds,
                cycles / seconds, static_cast<unsigned long long>(checksum));
    m->final();
    delete m;
    return 0;
}
